package io.homestack.it;

import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.Topology;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The home cluster's nodes (clusters/k3s/inventory.yaml on envtest): the GPU pod lands on the one nvidia node. */
@HomestackCluster(topology = "k3s")
class GpuPlacementOnK3sIT extends GpuPlacement {

    @Test
    void theSimulatedInventoryHasExactlyOneNvidiaNode() {
        Topology inventory = simulatedTopology();
        assertThat(inventory.name()).isEqualTo(Topology.K3S);
        assertThat(gpuNodes()).hasSize(1).isEqualTo(inventory.nodesLabelled(LABEL, "true"));
    }
}
