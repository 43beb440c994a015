package io.homestack.bundle.test;

/**
 * What a {@link TestCluster} can do. Each cluster assertion needs one; a test that needs a capability the cluster lacks
 * is skipped (a JUnit assumption, the reason printed), never failed. Everything else runs on every kind of cluster.
 */
public enum Capability {

    /** An API server: objects are stored, validated (server-side apply, strict fields) and listed. Every cluster. */
    API("an API server"),

    /** The built-in controllers (kube-controller-manager): Deployments make ReplicaSets and Pods, service accounts, GC. */
    CONTROLLERS("the built-in controllers (kube-controller-manager)"),

    /** A scheduler and nodes: pods are bound to a node that fits (envtest: kwok's fake nodes report them Running). */
    SCHEDULING("a scheduler and nodes"),

    /** PersistentVolumeClaims become Bound (a provisioner; on envtest the kit's static provisioner). */
    VOLUMES("PersistentVolumeClaims to be bound"),

    /**
     * SealedSecrets are unsealed into Secrets by a sealed-secrets controller: on envtest the native controller,
     * holding the k3d test key (clusters/k3d/sealed-secrets), so what bundles seal for k3d unseals; on k3s and
     * kubeconfig clusters the one the platform/sealed-secrets bundle deploys.
     */
    SEALED_SECRETS("a sealed-secrets controller"),

    /**
     * A real Argo CD syncs Applications: on envtest argocd-repo-server and argocd-application-controller (with redis)
     * as local processes, configured from platform/argocd's own k3d render; started only for test classes that declare
     * {@code @RequiresCapability(ARGOCD)} (it costs ~0.5 GB of memory). With it, on envtest, the Velero server
     * (backup/velero's chart cannot be rendered here, and its Schedules need a server to become Enabled); it reaches
     * Services only where a test annotates them with the local port of an engine it runs. On k3s and kubeconfig
     * clusters the Argo CD that runs there.
     */
    ARGOCD("a running Argo CD (application controller and repo server)"),

    /**
     * cert-manager's contract: its admission webhook answers the API server, ClusterIssuers/Issuers (selfSigned, ca)
     * become Ready, Certificates get their TLS Secret and become Ready. On k3s and kubeconfig clusters the real
     * cert-manager (probed on kubeconfig; a bare k3s container has none). On envtest a <b>simulation</b> of that
     * contract ({@code CertManagerSimulation}: cert-manager cannot be built here), started only for test classes that
     * declare {@code @RequiresCapability(CERT_MANAGER)}; it validates nothing, issues no ACME and renews nothing.
     */
    CERT_MANAGER("cert-manager (its webhook, Issuers and Certificates Ready)"),

    /** Containers really run: logs, endpoints that answer, operators such as cert-manager doing their work. */
    RUNNING_PODS("running containers");

    private final String needs;

    Capability(String needs) {
        this.needs = needs;
    }

    /** What a test needs, for skip messages: "needs running containers". */
    public String needs() {
        return needs;
    }
}
