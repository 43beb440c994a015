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
}
