package io.homestack.it;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.homestack.bundle.mirror.MirrorReport;
import io.homestack.bundle.oci.LocalRegistry;
import io.homestack.bundle.oci.LocalRegistryExtension;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.release.ReleaseHarness;
import io.homestack.bundle.test.release.ReleaseModule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3s release, end to end as {@link ReleaseSyncIT} does it for k3d: every bundle of the k3s release and the release
 * pushed to a real registry, the charts that can be had here mirrored, the release build's own root Application
 * applied, and the real Argo CD syncing it onto envtest with the home cluster's nodes (clusters/k3s/inventory.yaml,
 * topology k3s). The inventory's placeholders (registry, domain, NAS) stay: pushing to the home registry is what
 * they block (docs/deploy-k3s.md), not this test, which pushes to a registry on loopback. The hardware-bound workloads
 * the release syncs here land on the nodes with their hardware: every required node affinity on a {@code hardware/} or
 * {@code storage/} label is met by the node the scheduler picked.
 */
@HomestackCluster(topology = "k3s")
@RequiresCapability({Capability.ARGOCD, Capability.CERT_MANAGER, Capability.SCHEDULING, Capability.SEALED_SECRETS})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(LocalRegistryExtension.class)
class K3sReleaseSyncIT {

    static ReleaseHarness harness;
    static MirrorReport mirror;

    @BeforeAll
    static void pushAndMirror(LocalRegistry registry, @TempDir Path work) {
        harness = new ReleaseHarness(ReleaseModule.of(ReleaseSyncIT.ROOT, "clusters/k3s"), registry.address(), work);
        mirror = harness.mirror(harness.push());
    }

    @Test
    @Order(1)
    void argoCdSyncsTheK3sReleaseWaveByWave(TestCluster cluster) {
        ReleaseSyncIT.envtestOnly(cluster);
        ReleaseSyncChecks.syncWaveByWave(cluster, harness, mirror);
    }

    @Test
    @Order(2)
    void theLiveObjectsHoldTheBundlesK3sRenders(TestCluster cluster) {
        ReleaseSyncIT.envtestOnly(cluster);
        ReleaseSyncChecks.liveObjectsHoldRenders(cluster, harness, mirror);
    }

    /**
     * Frigate and NVIDIA's device plugin need the GPU: Argo CD's sync put them on the inventory's one nvidia node (the
     * plugin's DaemonSet there only), and every hard affinity on a hardware or storage label holds.
     */
    @Test
    @Order(3)
    void hardwareBoundWorkloadsRunOnTheNodesWithTheirHardware(TestCluster cluster) {
        ReleaseSyncIT.envtestOnly(cluster);
        Map<String, String> placed = new TreeMap<>();
        for (Pod pod : cluster.client().pods().inAnyNamespace().list().getItems()) {
            List<NodeSelectorRequirement> required = hardwareRequirements(cluster, pod);
            if (required.isEmpty()) {
                continue;
            }
            String where = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
            Map<String, String> labels = cluster.client().nodes().withName(pod.getSpec().getNodeName()).get()
                    .getMetadata().getLabels();
            for (NodeSelectorRequirement r : required) {
                assertThat(r.getOperator()).as("operator of " + where + "'s required affinity on " + r.getKey())
                        .isEqualTo("In");
                assertThat(labels.get(r.getKey())).as("node " + pod.getSpec().getNodeName() + " of " + where
                        + ": label " + r.getKey()).isIn(r.getValues());
            }
            placed.put(where, pod.getSpec().getNodeName() + " " + required.stream()
                    .map(r -> r.getKey() + " In " + r.getValues()).toList());
        }
        System.out.println("[e2e] k3s: hardware-bound pods and their nodes:\n" + placed.entrySet().stream()
                .map(e -> "  " + e.getKey() + " on " + e.getValue()).collect(Collectors.joining("\n")));
        assertThat(placed.keySet()).as("Frigate (security), which requires hardware/nvidia")
                .anyMatch(p -> p.startsWith("security/frigate"));
        assertThat(placed.entrySet()).filteredOn(e -> e.getKey().startsWith("security/frigate"))
                .allMatch(e -> e.getValue().startsWith("gpu-1 "));
        assertThat(placed.entrySet()).as("NVIDIA's device plugin (a DaemonSet): on the nvidia node and only there")
                .filteredOn(e -> e.getKey().startsWith("kube-system/nvidia-device-plugin"))
                .extracting(e -> e.getValue().split(" ")[0]).containsExactly("gpu-1");
    }

    /**
     * The pod's required node affinity on hardware and storage labels. A DaemonSet's pods carry the DaemonSet
     * controller's node-name term instead of the template's affinity, so theirs is read from the DaemonSet.
     */
    private static List<NodeSelectorRequirement> hardwareRequirements(TestCluster cluster, Pod pod) {
        PodSpec spec = pod.getSpec();
        for (OwnerReference owner : pod.getMetadata().getOwnerReferences()) {
            if ("DaemonSet".equals(owner.getKind())) {
                spec = cluster.client().apps().daemonSets().inNamespace(pod.getMetadata().getNamespace())
                        .withName(owner.getName()).get().getSpec().getTemplate().getSpec();
            }
        }
        var affinity = spec.getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        return affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()
                .stream().flatMap(t -> t.getMatchExpressions().stream())
                .filter(r -> r.getKey().startsWith("hardware/") || r.getKey().startsWith("storage/")).toList();
    }
}
