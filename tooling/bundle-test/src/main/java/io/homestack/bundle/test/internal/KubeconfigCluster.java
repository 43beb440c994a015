package io.homestack.bundle.test.internal;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.homestack.testsupport.UserHome;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * An existing cluster (a k3d cluster, or the home cluster): {@code KUBECONFIG} or
 * {@code ~/.kube/config}, the current context unless {@code -Dhomestack.kubeconfig.context} names one. Its nodes and
 * controllers are real. Upstream CRDs are installed only with {@code -Dhomestack.crds=true} (the bundles that own them
 * install them on a real cluster).
 */
final class KubeconfigCluster extends BaseCluster {

    private final KubernetesClient client;
    private final String context;

    private KubeconfigCluster(ClusterPlan plan, KubernetesClient client, String context) {
        super(plan);
        this.client = client;
        this.context = context;
    }

    static KubeconfigCluster connect(ClusterPlan plan, TestBinaries binaries, boolean installCrds) {
        Config config = Config.autoConfigure(Settings.KUBECONFIG_CONTEXT.value().orElse(null));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        String context = config.getCurrentContext() == null ? config.getMasterUrl() : config.getCurrentContext().getName();
        try {
            client.getKubernetesVersion();
        } catch (RuntimeException e) {
            client.close();
            throw new IllegalStateException("cannot reach the cluster of kubeconfig context " + context + " ("
                    + config.getMasterUrl() + "): " + e.getMessage(), e);
        }
        if (installCrds) {
            Crds.install(client, Crds.fromCache(binaries), Duration.ofSeconds(60));
        }
        return new KubeconfigCluster(plan, client, context);
    }

    @Override
    public String description() {
        return "kubeconfig (context " + context + ", " + client.getMasterUrl() + ")";
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public Path kubeconfig() {
        return Optional.ofNullable(System.getenv("KUBECONFIG")).filter(s -> !s.isBlank())
                .map(s -> Path.of(s.split(java.io.File.pathSeparator)[0]))
                .orElse(UserHome.get().resolve(".kube/config")); // kubectl's: $HOME
    }

    @Override
    public void close() {
        closeClients();
        client.close();
    }
}
