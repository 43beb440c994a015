package io.homestack.bundle.render;

/** Argo CD constants shared by the bundle and release renderers. */
public final class ArgoCd {

    public static final String NAMESPACE = "argocd";
    public static final String API_VERSION = "argoproj.io/v1alpha1";
    public static final String IN_CLUSTER = "https://kubernetes.default.svc";
    public static final String SYNC_WAVE = "argocd.argoproj.io/sync-wave";
    public static final String FINALIZER = "resources-finalizer.argocd.argoproj.io";
    public static final String LABEL_BUNDLE = "homestack.io/bundle";
    public static final String LABEL_PART_OF = "app.kubernetes.io/part-of";

    private ArgoCd() {
    }

    /**
     * Automated sync with prune and self-heal, retried with backoff: a first sync that fails because what it needs
     * is not ready yet (a CRD from an earlier wave) is tried again on the same revision.
     */
    public static java.util.Map<String, Object> syncPolicy(String... syncOptions) {
        return java.util.Map.of(
                "automated", java.util.Map.of("prune", true, "selfHeal", true),
                "syncOptions", java.util.List.of(syncOptions),
                "retry", java.util.Map.of("limit", 5,
                        "backoff", java.util.Map.of("duration", "10s", "factor", 2, "maxDuration", "5m")));
    }
}
