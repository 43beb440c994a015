package io.homestack.it;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.PinnedVersions;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    }

    /** What is written is stored and read back, and the API server validates it (an invalid name is refused). */
    @Test
    void storesWhatIsWrittenAndRefusesWhatIsInvalid(TestCluster cluster) {
        String ns = cluster.createNamespace("cluster-it");
        cluster.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                .endMetadata().addToData("greeting", "hello").build()).create();
        assertThat(cluster.client().configMaps().inNamespace(ns).withName("settings").get().getData())
                .containsExactly(Map.entry("greeting", "hello"));
        assertThatThrownBy(() -> cluster.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("Not_A_Name").endMetadata().build()).create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("Not_A_Name").hasMessageContaining("RFC 1123");
    }
}
