package io.homestack.platform.nvidia;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.hydrate.ChartSource;
import io.homestack.bundle.hydrate.Hydrator;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.release.ReleaseHarness;
import io.homestack.testsupport.TestTools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Placement on the simulated home cluster (envtest, the nodes of clusters/k3s/inventory.yaml): the device plugin's
 * DaemonSet as NVIDIA's chart renders it with our values (the pinned chart from charts.sh's cache, hydrated in-process
 * as Argo CD would render it) runs on the hardware/nvidia nodes and nowhere else, and a GPU pod that only names the
 * `nvidia` RuntimeClass lands there too (the class's scheduling.nodeSelector).
 */
@HomestackCluster(topology = "k3s")
@RequiresCapability(Capability.SCHEDULING)
class NvidiaDevicePluginK3sIT {

    static final String LABEL = "hardware/nvidia";
    static final Path BUNDLE_DIR = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();

    TestCluster cluster;

    @TempDir
    Path work;

    @Test
    void theDevicePluginRunsExactlyOnTheNvidiaNodes() {
        List<String> gpuNodes = gpuNodes();
        cluster.apply(BundleOutput.ofModule(), "k3s");
        cluster.apply("nvidia-device-plugin", chartObjects());

        List<Pod> pods = awaitPods("kube-system", "app.kubernetes.io/name", "nvidia-device-plugin", gpuNodes.size());
        assertThat(pods).extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrderElementsOf(gpuNodes);
        assertThat(pods).allSatisfy(p -> assertThat(p.getSpec().getRuntimeClassName()).isEqualTo("nvidia"));
        assertThat(cluster.client().apps().daemonSets().inNamespace("kube-system").withName("nvidia-device-plugin").get()
                .getStatus().getDesiredNumberScheduled()).as("nodes the DaemonSet controller places it on")
                .isEqualTo(gpuNodes.size());
        for (Pod p : pods) {
            assertThatCluster(cluster).hasPodRunningOn("kube-system", p.getMetadata().getName(), p.getSpec().getNodeName());
        }
    }

    @Test
    void aPodOfTheNvidiaRuntimeClassLandsOnAnNvidiaNode() {
        List<String> gpuNodes = gpuNodes();
        cluster.apply(BundleOutput.ofModule(), "k3s");
        String ns = cluster.createNamespace("gpu");
        cluster.client().pods().inNamespace(ns).resource(new PodBuilder()
                .withNewMetadata().withName("transcoder").endMetadata()
                .withNewSpec().withRuntimeClassName("nvidia")
                .addNewContainer().withName("main").withImage("docker.io/library/busybox:1.37.0@sha256:bdf57e528e45e4433820e045b29b4597825a1c9e38353532d90a01445013f82e")
                .withNewResources().addToLimits("nvidia.com/gpu", new Quantity("1")).endResources().endContainer()
                .endSpec().build()).create();

        Pod pod = awaitPods(ns, null, null, 1).get(0);
        assertThat(pod.getSpec().getNodeSelector()).as("RuntimeClass admission adds the class's nodeSelector")
                .containsEntry(LABEL, "true");
        assertThat(gpuNodes).contains(pod.getSpec().getNodeName());
        assertThatCluster(cluster).hasPodRunningOn(ns, "transcoder", pod.getSpec().getNodeName());
    }

    /**
     * The cluster's own nodes labelled hardware/nvidia (on envtest: exactly the inventory's, asserted); none (a real
     * cluster without a GPU) skips the test with the reason, as there is no placement to prove.
     */
    private List<String> gpuNodes() {
        List<String> nodes = cluster.client().nodes().withLabel(LABEL, "true").list().getItems().stream()
                .map(n -> n.getMetadata().getName()).toList();
        cluster.topology().map(t -> t.nodesLabelled(LABEL, "true"))
                .ifPresent(inventory -> assertThat(nodes).as("the simulated inventory's GPU machines")
                        .isNotEmpty().containsExactlyInAnyOrderElementsOf(inventory));
        Assumptions.assumeFalse(nodes.isEmpty(), cluster.description() + " has no node labelled " + LABEL
                + "=true (make label-nodes): no GPU placement to prove there");
        return nodes;
    }

    /** The chart's objects for k3s, rendered from the pinned chart of charts.sh's cache. */
    private List<KubeObject> chartObjects() {
        Path charts = ReleaseHarness.cacheDirectory("charts", "charts.sh").resolve("nvidia-device-plugin/0.19.0");
        if (!Files.isDirectory(charts)) {
            throw TestTools.missing("no chart nvidia-device-plugin 0.19.0 in " + charts
                    + ": run tooling/k8s-test-binaries/charts.sh");
        }
        return new Hydrator(ChartSource.directory(charts), BundleLog.SILENT).hydrate(Bundle.load(BUNDLE_DIR), work)
                .objects("k3s");
    }

    /** Waits until {@code count} pods (matching the label, when given) are bound to a node. */
    private List<Pod> awaitPods(String ns, String key, String value, int count) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<Pod> bound = List.of();
        while (System.nanoTime() < deadline) {
            var pods = key == null ? cluster.client().pods().inNamespace(ns)
                    : cluster.client().pods().inNamespace(ns).withLabel(key, value);
            bound = pods.list().getItems().stream().filter(p -> p.getSpec().getNodeName() != null).toList();
            if (bound.size() >= count) {
                return bound;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("expected " + count + " pod(s) bound in " + ns + ", got " + bound.size());
    }
}
