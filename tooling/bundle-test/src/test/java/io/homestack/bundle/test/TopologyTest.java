package io.homestack.bundle.test;

import io.homestack.bundle.inventory.Inventory;
import io.homestack.bundle.test.internal.TestBinaries;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyTest {

    @Test
    void k3dIsOneServerAndTwoAgentsWithTheLabelsK3sSets() {
        Topology k3d = Topology.named("k3d", TestBinaries.repoRoot());
        assertThat(k3d.nodeNames()).containsExactly("k3d-homestack-server-0", "k3d-homestack-agent-0", "k3d-homestack-agent-1");
        Topology.NodeSpec server = k3d.nodes().get(0);
        assertThat(server.isServer()).isTrue();
        assertThat(server.effectiveLabels())
                .containsEntry("node-role.kubernetes.io/control-plane", "true")
                .containsEntry("node-role.kubernetes.io/master", "true")
                .containsEntry("kubernetes.io/hostname", "k3d-homestack-server-0")
                .containsEntry("node.kubernetes.io/instance-type", "k3s")
                .containsEntry("kubernetes.io/os", "linux");
        assertThat(k3d.nodes().get(1).effectiveLabels()).doesNotContainKey("node-role.kubernetes.io/control-plane");
        assertThat(k3d.nodes()).allSatisfy(n -> assertThat(n.effectiveCapacity())
                .containsEntry("cpu", "8").containsEntry("memory", "16Gi").containsEntry("pods", "110"));
        assertThat(k3d.nodesLabelled("hardware/nvidia", "true")).isEmpty();
        assertThat(k3d.nodesLabelled("hardware/zigbee", "true")).containsExactly("k3d-homestack-agent-0");
        assertThat(k3d.nodesLabelled("storage/nas", "true")).containsExactly("k3d-homestack-agent-1");
        assertThat(k3d.source()).endsWith(Topology.K3D_INVENTORY);
    }

    @Test
    void readsAnInventoryWithLabelsCapacityAndTaints() {
        Topology t = Topology.read("small", Path.of("src/test/resources/topology/inventory-small.yaml"));
        assertThat(t.nodeNames()).containsExactly("big", "small");
        Topology.NodeSpec big = t.nodes().get(0);
        assertThat(big.labels()).containsEntry("hardware/nvidia", "true").containsEntry("storage/nas", "true");
        assertThat(big.effectiveCapacity()).containsEntry("cpu", "16").containsEntry("nvidia.com/gpu", "2");
        assertThat(big.taints()).containsExactly(Map.of("key", "dedicated", "value", "gpu", "effect", "NoSchedule"));
        assertThat(t.nodes().get(1).effectiveCapacity()).containsEntry("pods", "30");
        assertThat(t.nodesLabelled("hardware/nvidia", "true")).containsExactly("big");
        assertThat(t.nodesLabelled("kubernetes.io/hostname", "small")).containsExactly("small");
    }

    @Test
    void theRepositoryInventoryHasTheHomeClustersHardware() {
        Topology k3s = Topology.named("k3s", TestBinaries.repoRoot());
        assertThat(k3s.name()).isEqualTo("k3s");
        assertThat(k3s.nodesLabelled("hardware/nvidia", "true")).hasSize(1);
        assertThat(k3s.nodesLabelled("hardware/zigbee", "true")).hasSize(1);
        assertThat(k3s.nodesLabelled("hardware/usb", "true")).hasSize(1);
        assertThat(k3s.nodesLabelled("storage/nas", "true")).hasSize(1);
        String gpu = k3s.nodesLabelled("hardware/nvidia", "true").get(0);
        assertThat(k3s.nodes()).filteredOn(n -> n.name().equals(gpu))
                .singleElement().satisfies(n -> assertThat(n.capacity()).containsKey("nvidia.com/gpu"));
        assertThat(k3s.nas()).as("the NAS export of the `nas` StorageClass (platform/storage reads it with kustomize)")
                .hasValueSatisfying(nas -> {
                    assertThat(nas.server()).isNotBlank();
                    assertThat(nas.share()).startsWith("/");
                });
    }

    @Test
    void readsTheKrmHeaderAndTheNasExport() {
        Topology t = Topology.parse("t", """
                apiVersion: homestack.io/v1alpha1
                kind: Inventory
                metadata: {name: home, annotations: {config.kubernetes.io/local-config: "true"}}
                storage:
                  nas: {server: 192.168.1.10, share: /volume1/k8s}
                nodes:
                  - {name: a, capacity: {cpu: 1, memory: 1Gi}}
                """, "inv.yaml");
        assertThat(t.nas()).contains(new Inventory.Nas("192.168.1.10", "/volume1/k8s"));
        assertThat(t.nodeNames()).containsExactly("a");
        assertThat(Topology.parse("t", "nodes:\n  - {name: a, capacity: {cpu: 1, memory: 1Gi}}\n", "inv.yaml").nas())
                .as("storage is optional").isEmpty();
    }

    @Test
    void rejectsAWrongHeaderAndAnIncompleteNasExport() {
        String node = "nodes:\n  - {name: a, capacity: {cpu: 1, memory: 1Gi}}\n";
        assertThatThrownBy(() -> Topology.parse("t", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n" + node, "inv.yaml"))
                .hasMessageContaining("inv.yaml: an inventory with a KRM header has apiVersion homestack.io/v1alpha1 and kind"
                        + " Inventory, got v1 and ConfigMap");
        assertThatThrownBy(() -> Topology.parse("t", "apiVersion: homestack.io/v1alpha1\nkind: Inventory\n" + node, "inv.yaml"))
                .hasMessageContaining("metadata.name is required");
        assertThatThrownBy(() -> Topology.parse("t", "storage: {nas: {server: nas}}\n" + node, "inv.yaml"))
                .hasMessageContaining("storage.nas.share must be an absolute path, got null");
        assertThatThrownBy(() -> Topology.parse("t", "storage: {nas: {server: nas, share: /x, path: /y}}\n" + node, "inv.yaml"))
                .hasMessageContaining("inv.yaml: storage.nas: unknown key 'path'");
        assertThatThrownBy(() -> Topology.parse("t", "storage: {nfs: {}}\n" + node, "inv.yaml"))
                .hasMessageContaining("inv.yaml: storage: unknown key 'nfs'");
        assertThatThrownBy(() -> Topology.parse("t", "stroage: {}\n" + node, "inv.yaml"))
                .hasMessageContaining("inv.yaml: unknown key 'stroage'");
    }

    @Test
    void rejectsMistakesNamingTheNodeAndKey() {
        assertThatThrownBy(() -> Topology.parse("t", "nodes:\n  - name: a\n    capacity: {cpu: 1, memory: 1Gi}\n    lables: {}\n", "inv.yaml"))
                .hasMessageContaining("inv.yaml: nodes[0]: unknown key 'lables'");
        assertThatThrownBy(() -> Topology.parse("t", "nodes:\n  - name: a\n    capacity: {cpu: 1}\n", "inv.yaml"))
                .hasMessageContaining("nodes[0] (a): capacity.memory is required");
        assertThatThrownBy(() -> Topology.parse("t", "nodes:\n  - {name: a, capacity: {cpu: 1, memory: 1Gi}}\n"
                + "  - {name: a, capacity: {cpu: 1, memory: 1Gi}}\n", "inv.yaml"))
                .hasMessageContaining("nodes[1]: node 'a' is listed twice");
        assertThatThrownBy(() -> Topology.parse("t", "nodes:\n  - {name: a, role: master, capacity: {cpu: 1, memory: 1Gi}}\n", "inv.yaml"))
                .hasMessageContaining("role must be server or agent, got master");
        assertThatThrownBy(() -> Topology.parse("t", "nodes: []\n", "inv.yaml")).hasMessageContaining("'nodes' is missing or empty");
        assertThatThrownBy(() -> Topology.parse("t", "nodes:\n  - {name: a, labels: {x: {y: z}}, capacity: {cpu: 1, memory: 1Gi}}\n",
                "inv.yaml")).hasMessageContaining("(a).labels.x must be a string");
        assertThatThrownBy(() -> Topology.named("missing.yaml", Path.of("/nonexistent")))
                .hasMessageContaining("topology 'missing.yaml': /nonexistent/missing.yaml does not exist");
    }
}
