package io.homestack.zigbee.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevicesFileTest {

    @TempDir
    Path dir;

    @Test
    void readsTheBundlesDevicesFile() {
        Path k3d = Path.of("../manifests/k3d/zigbee-simulator/devices.yaml");
        DevicesFile network = DevicesFile.read(k3d);
        assertThat(network.coordinator()).isEqualTo("0x00124b0000000001");
        assertThat(network.devices()).extracting(Device::friendlyName, Device::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("living_room_light", DeviceKind.LIGHT),
                org.assertj.core.groups.Tuple.tuple("kitchen_plug", DeviceKind.SWITCH),
                org.assertj.core.groups.Tuple.tuple("bedroom_climate", DeviceKind.CLIMATE_SENSOR),
                org.assertj.core.groups.Tuple.tuple("hallway_button", DeviceKind.BUTTON));
    }

    @Test
    void defaultsVendorModelAndCoordinator() throws IOException {
        DevicesFile network = DevicesFile.read(write("devices:\n  - {ieee_address: '0x0000000000000002',"
                + " friendly_name: lamp, type: light}\n"));
        assertThat(network.coordinator()).isEqualTo("0x00124b0000000001");
        assertThat(network.devices().get(0)).isEqualTo(new Device("0x0000000000000002", "lamp", DeviceKind.LIGHT,
                "homestack", "SIM-LIGHT", "Simulated light"));
    }

    @Test
    void badEntriesAreRefusedNamingTheFileTheDeviceAndTheRule() throws IOException {
        String ok = "  - {ieee_address: '0x0000000000000002', friendly_name: lamp, type: light}\n";
        refused("devices: []\n", "no `devices` list");
        refused("devices:\n  - {ieee_address: '0x0000000000000002', type: light}\n",
                "devices[0]: `friendly_name` is missing");
        refused("devices:\n  - {ieee_address: '0x12', friendly_name: lamp, type: light}\n",
                "devices[0]: ieee_address '0x12' is not 0x and 16 lower-case hex digits");
        refused("devices:\n  - {ieee_address: '0x0000000000000002', friendly_name: 'a/b', type: light}\n",
                "devices[0]: friendly_name 'a/b' cannot be a topic level");
        refused("devices:\n  - {ieee_address: '0x0000000000000002', friendly_name: lamp, type: fan}\n",
                "devices[0]: type 'fan' is not one of [light, switch, climate_sensor, button]");
        refused("devices:\n" + ok + ok.replace("0x0000000000000002", "0x0000000000000003"),
                "devices[1] (lamp): friendly_name is used by another device");
        refused("devices:\n" + ok + ok.replace("lamp", "other"),
                "devices[1] (other): ieee_address 0x0000000000000002 is used by another device or the coordinator");
        refused("coordinator: nope\ndevices:\n" + ok, "coordinator 'nope' is not an IEEE address");
    }

    private void refused(String yaml, String message) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> DevicesFile.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "devices", ".yaml"), yaml);
    }
}
