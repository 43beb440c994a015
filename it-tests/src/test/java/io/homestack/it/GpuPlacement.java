package io.homestack.it;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.Topology;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hard affinity for hardware-bound apps (DESIGN.md §4): a pod that requires {@code hardware/nvidia=true} and a GPU
 * runs on a node with that label and only there; where the cluster has no such node it stays Pending and the
 * scheduler says why. The expectation comes from the cluster's own nodes, so the same test holds on envtest's
 * simulated topologies and on a real cluster.
 */
@RequiresCapability(Capability.SCHEDULING)
abstract class GpuPlacement {

    static final String LABEL = "hardware/nvidia";

    TestCluster cluster;

    @Test
    void aGpuPodRunsOnlyWhereTheNvidiaHardwareIs() {
        List<String> gpuNodes = gpuNodes();
        String ns = cluster.createNamespace("placement");
        cluster.client().pods().inNamespace(ns).resource(gpuPod("transcoder")).create();

        if (gpuNodes.isEmpty()) {
            String reason = assertThatCluster(cluster).hasPodUnschedulable(ns, "transcoder");
            System.out.println("[placement] no " + LABEL + " node; the scheduler says: " + reason);
            assertThat(reason).as("the scheduler's reason").contains("didn't match Pod's node affinity/selector");
            assertThat(cluster.client().pods().inNamespace(ns).withName("transcoder").get().getStatus().getPhase())
                    .isEqualTo("Pending");
        } else {
            String node = awaitScheduled(ns, "transcoder");
            assertThat(node).isIn(gpuNodes);
            System.out.println("[placement] scheduled on " + node + " (nodes labelled " + LABEL + ": " + gpuNodes + ")");
            assertThatCluster(cluster).hasPodRunningOn(ns, "transcoder", node);
        }
    }

    /**
     * The topology envtest simulates; on a real cluster the test is skipped with the reason (its nodes are whatever
     * that cluster has, so a statement about the simulated topology cannot be checked there).
     */
    Topology simulatedTopology() {
        return cluster.topology().orElseGet(() -> {
            String reason = "checks the topology envtest simulates; " + cluster.description() + " has real nodes"
                    + " (the placement test above runs on it)";
            System.out.println("[homestack] SKIPPED: " + reason);
            Assumptions.abort(reason);
            return null;
        });
    }

    List<String> gpuNodes() {
        return cluster.client().nodes().withLabel(LABEL, "true").list().getItems().stream()
                .map(Node::getMetadata).map(m -> m.getName()).toList();
    }

    private String awaitScheduled(String ns, String pod) {
        assertThatCluster(cluster).hasObject("v1", "Pod", ns, pod);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Pod p = cluster.client().pods().inNamespace(ns).withName(pod).get();
            if (p.getSpec().getNodeName() != null) {
                return p.getSpec().getNodeName();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        // not scheduled: let the assertion report the scheduler's reason
        assertThatCluster(cluster).hasPodRunningOn(ns, pod, "a node labelled " + LABEL + "=true");
        throw new AssertionError("unreachable");
    }

    /**
     * A real, pullable image pinned by digest, so that on a real GPU node the pod really runs (an image that cannot be
     * pulled would leave it Waiting and the test red there): Docker's official busybox 1.37.0, the digest of its
     * multi-platform index as several public projects pin it. It sleeps; the GPU is only requested, not used.
     */
    static final String IMAGE =
            "docker.io/library/busybox:1.37.0@sha256:bdf57e528e45e4433820e045b29b4597825a1c9e38353532d90a01445013f82e";

    /** What a GPU workload declares on k3s: required node affinity on the hardware label and one GPU. */
    static Pod gpuPod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("app", name).endMetadata()
                .withNewSpec()
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey(LABEL).withOperator("In").withValues("true")
                .endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                .addNewContainer().withName("main").withImage(IMAGE).withCommand("sleep", "3600")
                .withNewResources().addToRequests("nvidia.com/gpu", new Quantity("1")).addToLimits("nvidia.com/gpu", new Quantity("1"))
                .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("64Mi")).endResources()
                .endContainer().endSpec().build();
    }
}
