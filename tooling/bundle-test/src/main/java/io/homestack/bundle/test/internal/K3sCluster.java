package io.homestack.bundle.test.internal;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A k3s container (testcontainers): a real single-node cluster with a container runtime, local-path volumes and the
 * built-in controllers. Needs a Docker engine; the image follows K8S_VERSION ({@code rancher/k3s:v1.35.4-k3s1}).
 */
final class K3sCluster extends BaseCluster {

    private final K3sContainer container;
    private final KubernetesClient client;
    private final Path kubeconfig;

    private K3sCluster(ClusterPlan plan, K3sContainer container, KubernetesClient client, Path kubeconfig) {
        super(plan);
        this.container = container;
        this.client = client;
        this.kubeconfig = kubeconfig;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static K3sCluster start(ClusterPlan plan, TestBinaries binaries, boolean installCrds) {
        if (!dockerAvailable()) {
            throw new IllegalStateException("-Dhomestack.cluster=k3s needs a Docker engine, and none answers here;"
                    + " use envtest (the default without Docker) or kubeconfig");
        }
        // before the container: without the CRD cache the class is skipped (outside CI) at no cost
        List<Map<String, Object>> crds = installCrds ? Crds.fromCache(binaries) : List.of();
        String image = Settings.K3S_IMAGE.value("rancher/k3s:" + binaries.kubernetesVersion() + "-k3s1");
        K3sContainer container = new K3sContainer(DockerImageName.parse(image));
        container.start();
        try {
            String yaml = container.getKubeConfigYaml();
            Path file = Files.createTempFile("homestack-k3s-", ".kubeconfig");
            file.toFile().deleteOnExit();
            Files.writeString(file, yaml);
            KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
            if (installCrds) {
                Crds.install(client, crds, Duration.ofSeconds(60));
            }
            K3sCluster cluster = new K3sCluster(plan, container, client, file);
            System.out.println("[homestack] " + cluster.description() + " ready");
            return cluster;
        } catch (IOException e) {
            container.stop();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
    }

    @Override
    public String description() {
        return "k3s (" + container.getDockerImageName() + ")";
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        closeClients();
        client.close();
        container.stop();
    }
}
