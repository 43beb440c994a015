package io.homestack.it;

import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.PinnedVersions;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample: the test cluster runs and answers like the Kubernetes the project pins. */
@HomestackCluster
class ClusterIT {

    @Test
    void versionIsThePinnedKubernetes(TestCluster cluster) {
        String version = cluster.client().getKubernetesVersion().getGitVersion();
        switch (cluster.kind()) {
            case ENVTEST -> assertThat(version).isEqualTo(PinnedVersions.kubernetes());
            case K3S -> assertThat(version).startsWith(PinnedVersions.kubernetes() + "+k3s");
            case KUBECONFIG -> assertThat(version).matches("v1\\.\\d+\\.\\d+.*");
        }
    }

    @Test
    void namespacesAreListable(TestCluster cluster) {
        assertThat(cluster.client().namespaces().list().getItems())
                .extracting(ns -> ns.getMetadata().getName())
                .contains("default", "kube-system", "kube-public");
        assertThat(cluster.kind()).isIn((Object[]) ClusterKind.values());
    }
}
