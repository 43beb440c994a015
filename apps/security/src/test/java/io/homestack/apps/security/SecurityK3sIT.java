package io.homestack.apps.security;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3s bundle on the simulated home cluster (envtest + kwok, the nodes of clusters/k3s/inventory.yaml, the GPU
 * machine advertising its nvidia.com/gpu): Frigate lands on the hardware/nvidia node holding the GPU.
 */
@HomestackCluster(topology = "k3s")
@RequiresCapability({Capability.SCHEDULING, Capability.VOLUMES})
class SecurityK3sIT {

    @Test
    void frigateLandsOnTheNvidiaNodeAndHoldsItsGpu(TestCluster cluster) {
        Pod pod = FrigatePlacement.applyAndAwaitFrigate(cluster, "k3s");

        assertThat(cluster.topology().orElseThrow().nodesLabelled(FrigatePlacement.GPU_LABEL, "true"))
                .as("the inventory's GPU machine").containsExactly(pod.getSpec().getNodeName());
        Node node = FrigatePlacement.node(cluster, pod);
        assertThat(node.getStatus().getAllocatable()).as("the node offers the GPU").containsKey("nvidia.com/gpu");
        assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(pod.getSpec().getRuntimeClassName()).isEqualTo("nvidia");
        assertThat(pod.getSpec().getNodeSelector()).as("RuntimeClass admission added the class's scheduling")
                .containsEntry(FrigatePlacement.GPU_LABEL, "true");

        // The node's one GPU is Frigate's: another pod asking for it finds none.
        String ns = cluster.createNamespace("gpu");
        cluster.client().pods().inNamespace(ns).resource(new PodBuilder()
                .withNewMetadata().withName("second-gpu-user").endMetadata()
                .withNewSpec().withRuntimeClassName("nvidia")
                .addNewContainer().withName("main").withImage(pod.getSpec().getContainers().get(0).getImage())
                .withNewResources().addToLimits("nvidia.com/gpu", new Quantity("1")).endResources().endContainer()
                .endSpec().build()).create();
        assertThat(assertThatCluster(cluster).hasPodUnschedulable(ns, "second-gpu-user"))
                .contains("Insufficient nvidia.com/gpu");
    }
}
