package io.homestack.clusters.k3d;

import io.fabric8.kubernetes.api.model.Node;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.Topology;
import io.homestack.bundle.test.internal.TestBinaries;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nodes of the k3d cluster carry exactly the hardware labels of clusters/k3d/inventory.yaml: on envtest the kit's
 * simulated nodes, on the cluster `make cluster-up` created (-Dhomestack.cluster=kubeconfig, the extended workflow)
 * the real ones, which get them from cluster.yaml's nodeLabels (K3dClusterConfigTest holds those to the inventory).
 */
@HomestackCluster(topology = "k3d")
class K3dNodesIT {

    @Test
    void everyNodeHasTheInventorysHardwareLabelsAndNoOthers(TestCluster cluster) {
        Map<String, Map<String, String>> expected = new TreeMap<>();
        Topology.named(Topology.K3D, TestBinaries.repoRoot()).nodes()
                .forEach(n -> expected.put(n.name(), new TreeMap<>(n.labels())));
        Map<String, Map<String, String>> actual = new TreeMap<>();
        for (Node node : cluster.client().nodes().list().getItems()) {
            Map<String, String> hardware = new TreeMap<>();
            node.getMetadata().getLabels().forEach((k, v) -> {
                if (k.startsWith("hardware/") || k.startsWith("storage/")) {
                    hardware.put(k, v);
                }
            });
            actual.put(node.getMetadata().getName(), hardware);
        }
        assertThat(actual).as("the hardware labels of the nodes of " + cluster.description()).isEqualTo(expected);
    }
}
