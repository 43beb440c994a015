package io.homestack.bundle.inventory;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InventoryTest {

    /** The repository's own inventory, as the k3s release, the test kit and make label-nodes read it. */
    static final Path COMMITTED = Path.of("../../clusters/k3s/inventory.yaml");

    private static final String REAL = """
            registry: registry.lan:5000
            domain: home.smith.family
            storage: {nas: {server: 192.168.1.20, share: /volume1/k8s}}
            nodes:
              - {name: box, role: server, labels: {storage/nas: "true", hardware/nvidia: "true"}, capacity: {cpu: "4", memory: 8Gi}}
              - {name: pi, capacity: {cpu: "4", memory: 4Gi}}
            """;

    @Test
    void readsReleaseSettingsNasAndNodes() {
        Inventory inventory = Inventory.parse(REAL, "inv.yaml");
        assertThat(inventory.registry()).contains("registry.lan:5000");
        assertThat(inventory.domain()).contains("home.smith.family");
        assertThat(inventory.nas()).contains(new Inventory.Nas("192.168.1.20", "/volume1/k8s"));
        assertThat(inventory.nodes()).extracting(Inventory.Node::name).containsExactly("box", "pi");
    }

    @Test
    void rejectsWhatKubectlOrTheReleaseCouldNotUse() {
        assertThatThrownBy(() -> Inventory.parse("registry: 'https://r/x'\nnodes: [{name: a, capacity: {cpu: '1', memory: 1Gi}}]\n",
                "inv.yaml")).hasMessage("inv.yaml: registry must be a host name (host[:port]), got https://r/x");
        assertThatThrownBy(() -> Inventory.parse("nodes: [{name: a, labels: {'hardware/nvidia': 'yes please'},"
                + " capacity: {cpu: '1', memory: 1Gi}}]\n", "inv.yaml"))
                .hasMessageStartingWith("inv.yaml: nodes[0] (a).labels: 'hardware/nvidia=yes please' is not a valid Kubernetes label");
        assertThatThrownBy(() -> Inventory.parse("domian: x\nnodes: []\n", "inv.yaml"))
                .hasMessageContaining("inv.yaml: unknown key 'domian'");
    }

    @Test
    void readsTheZigbeeCoordinatorAndRejectsWhatTheDevicePluginCouldNotMount() {
        String nodes = "nodes: [{name: a, capacity: {cpu: '1', memory: 1Gi}}]\n";
        assertThat(Inventory.parse("zigbee: {adapter: ember, device: /dev/serial/by-id/usb-Sonoff_Dongle-if00}\n" + nodes,
                "inv.yaml").zigbee()).contains(new Inventory.Zigbee("ember", "/dev/serial/by-id/usb-Sonoff_Dongle-if00"));
        assertThat(Inventory.parse(nodes, "inv.yaml").zigbee()).isEmpty();
        assertThatThrownBy(() -> Inventory.parse("zigbee: {adapter: ember, device: ttyACM0}\n" + nodes, "inv.yaml"))
                .hasMessageStartingWith("inv.yaml: zigbee.device must be the coordinator's device path under /dev");
        assertThatThrownBy(() -> Inventory.parse("zigbee: {adapter: ember, device: '/dev/x y'}\n" + nodes, "inv.yaml"))
                .hasMessageStartingWith("inv.yaml: zigbee.device must be");
        assertThatThrownBy(() -> Inventory.parse("zigbee: {device: /dev/ttyACM0}\n" + nodes, "inv.yaml"))
                .hasMessageStartingWith("inv.yaml: zigbee.adapter must be a Zigbee2MQTT adapter type");
        assertThatThrownBy(() -> Inventory.parse("zigbee: {adapter: ember, device: /dev/ttyACM0, port: 1}\n" + nodes,
                "inv.yaml")).hasMessageContaining("inv.yaml: zigbee: unknown key 'port'");
        assertThat(Inventory.read(COMMITTED).zigbee()).as("the committed inventory names its coordinator").isPresent();
    }

    @Test
    void placeholdersAreTheNamesReservedForDocumentation() {
        assertThat(Placeholders.isPlaceholder("registry.home.example.net")).isTrue();
        assertThat(Placeholders.isPlaceholder("example.com")).isTrue();
        assertThat(Placeholders.isPlaceholder("nas.home.test:2049")).isTrue();
        assertThat(Placeholders.isPlaceholder("nas.invalid.")).isTrue();
        assertThat(Placeholders.isPlaceholder("myexample.net")).isFalse();
        assertThat(Placeholders.isPlaceholder("home.arpa")).isFalse();
        assertThat(Placeholders.isPlaceholder("192.168.1.20")).isFalse();
        assertThat(Placeholders.of(Inventory.parse(REAL, "inv.yaml"))).isEmpty();
        assertThat(Placeholders.of(Inventory.parse(REAL + "zigbee: {adapter: zstack, device: /dev/serial/by-id/"
                + "usb-Texas_Instruments_TI_CC2531_USB_CDC___0X00124B0018E27DB1-if00}\n", "inv.yaml"))).isEmpty();
    }

    @Test
    void publishingIsRefusedWhileTheCommittedInventoryHasPlaceholders() {
        Inventory committed = Inventory.read(COMMITTED);
        assertThat(Placeholders.of(committed)).isEqualTo(Map.of("registry", "registry.home.example.net",
                "domain", "home.example.net", "storage.nas.server", "nas-1.home.example.net",
                "zigbee.device", committed.zigbee().orElseThrow().device()));
        assertThatThrownBy(() -> Placeholders.requireNone(committed, "push release-k3s"))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("refusing to push release-k3s: " + COMMITTED + ": domain is 'home.example.net',"
                        + " a placeholder; registry is 'registry.home.example.net', a placeholder; storage.nas.server is"
                        + " 'nas-1.home.example.net', a placeholder; zigbee.device is '"
                        + committed.zigbee().orElseThrow().device() + "', a placeholder (rule: " + Placeholders.RULE + ")");
    }

    @Test
    void publishingAllowsARealInventoryAndNeedsARegistry() {
        Placeholders.requireNone(Inventory.parse(REAL, "inv.yaml"), "push release-k3s");
        assertThatThrownBy(() -> Placeholders.requireNone(Inventory.parse(REAL.replace("registry: registry.lan:5000\n", ""),
                "inv.yaml"), "push release-k3s"))
                .hasMessageContaining("inv.yaml: registry is missing");
        assertThatThrownBy(() -> Placeholders.requireNone(Inventory.parse(REAL.replace("192.168.1.20", "nas.example"),
                "inv.yaml"), "push release-k3s"))
                .hasMessageStartingWith("refusing to push release-k3s: inv.yaml: storage.nas.server is 'nas.example', a placeholder");
    }

    @Test
    void labelCommandsForTheCommittedInventory() {
        assertThat(NodeLabelCommands.of(Inventory.read(COMMITTED))).containsExactly(
                "kubectl label node nas-1 --overwrite storage/nas=true",
                "kubectl label node gpu-1 --overwrite hardware/nvidia=true",
                "kubectl label node iot-1 --overwrite hardware/usb=true hardware/zigbee=true");
    }

    @Test
    void labelCommandsSkipNodesWithoutLabelsAndSortLabels() {
        assertThat(NodeLabelCommands.of(Inventory.parse(REAL, "inv.yaml")))
                .containsExactly("kubectl label node box --overwrite hardware/nvidia=true storage/nas=true");
    }
}
