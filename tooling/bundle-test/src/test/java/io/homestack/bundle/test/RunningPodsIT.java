package io.homestack.bundle.test;

import org.junit.jupiter.api.Test;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;

/**
 * What only a cluster with a container runtime can show. On envtest these tests are skipped, with the reason; on k3s
 * or a kubeconfig cluster they run. They use the API server's own pods where there are any (k3s: CoreDNS).
 */
@HomestackCluster
class RunningPodsIT {

    @Test
    @RequiresCapability(Capability.RUNNING_PODS)
    void coreDnsAnswersAndLogs(TestCluster cluster) {
        String pod = cluster.client().pods().inNamespace("kube-system").withLabel("k8s-app", "kube-dns").list().getItems()
                .get(0).getMetadata().getName();
        assertThatCluster(cluster).hasPodLogLine("kube-system", pod, "CoreDNS")
                .hasEndpointAnswering("kube-system", "kube-dns", 9153, "/metrics");
    }
}
