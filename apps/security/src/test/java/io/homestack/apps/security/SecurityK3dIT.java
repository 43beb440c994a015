package io.homestack.apps.security;

import io.fabric8.kubernetes.api.model.Pod;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3d bundle on the simulated k3d cluster (1 server + 2 agents, none labelled hardware/nvidia: k3d has no GPU):
 * Frigate's affinity to an NVIDIA node is only a preference, so it still schedules, without a GPU.
 */
@HomestackCluster(topology = "k3d")
@RequiresCapability({Capability.SCHEDULING, Capability.VOLUMES})
class SecurityK3dIT {

    @Test
    void frigateSchedulesWithoutAnNvidiaNode(TestCluster cluster) {
        assertThat(cluster.client().nodes().withLabel(FrigatePlacement.GPU_LABEL).list().getItems())
                .as("k3d has no GPU node, which is what this proves Frigate does without").isEmpty();

        Pod pod = FrigatePlacement.applyAndAwaitFrigate(cluster, "k3d");

        assertThat(pod.getSpec().getAffinity().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .as("the preference that found no node").isNotEmpty();
        assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(pod.getSpec().getRuntimeClassName()).isNull();
    }
}
