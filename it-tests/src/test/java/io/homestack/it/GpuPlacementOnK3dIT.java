package io.homestack.it;

import io.homestack.bundle.test.HomestackCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** k3d simulates no GPU: the pod that requires one stays Pending, and the scheduler's reason is in the assertion. */
@HomestackCluster(topology = "k3d")
class GpuPlacementOnK3dIT extends GpuPlacement {

    @Test
    void k3dHasNoNvidiaNode() {
        assertThat(simulatedTopology().nodesLabelled(LABEL, "true")).isEmpty();
        assertThat(gpuNodes()).isEmpty();
    }
}
