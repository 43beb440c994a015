package io.homestack.eventbridge;

import io.homestack.zigbee.simulator.DevicesFile;
import io.homestack.zigbee.simulator.Z2mPayloads;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * bridge/devices as Zigbee2MQTT publishes it (src/test/resources/bridge-devices.json: the coordinator, an Aqara
 * WXKG11LM and a Hue bulb with their real exposes, an IKEA E1743 whose action enum is wrapped in a composite, made up to
 * prove that nested features are searched, and an unsupported device without definition), and as the k3d simulator
 * publishes it.
 */
class DeviceCatalogTest {

    static final Path FIXTURE = Path.of("src/test/resources/bridge-devices.json");
    static final Path K3D_DEVICES = Path.of("../manifests/k3d/zigbee-simulator/devices.yaml");

    @Test
    void devicesWithTheActionsTheirDefinitionsDeclare() throws Exception {
        DeviceCatalog catalog = DeviceCatalog.parse(Files.readString(FIXTURE), 10);
        assertThat(catalog.devices().keySet()).as("the coordinator publishes no device messages")
                .containsExactly("hall/button", "dimmer", "lamp", "0x00124b0000000009");
        DeviceCatalog.Device button = catalog.device("hall/button");
        assertThat(button.ieeeAddress()).isEqualTo("0x00158d0000000004");
        assertThat(button.model()).isEqualTo("WXKG11LM");
        assertThat(button.vendor()).isEqualTo("Aqara");
        assertThat(button.actions()).containsExactly("single", "double", "triple", "quadruple", "hold", "release");
        assertThat(catalog.device("dimmer").actions()).as("inside a composite's features; identify is no action")
                .containsExactly("on", "off", "brightness_move_up", "brightness_move_down", "brightness_stop");
        assertThat(catalog.device("lamp").actions()).isEmpty();
        DeviceCatalog.Device unsupported = catalog.device("0x00124b0000000009");
        assertThat(unsupported.model()).isEmpty();
        assertThat(unsupported.vendor()).isEmpty();
        assertThat(unsupported.actions()).isEmpty();
    }

    @Test
    void theK3dSimulatorsListHasTheButtonsActions() {
        DeviceCatalog catalog = DeviceCatalog.parse(Z2mPayloads.bridgeDevices(DevicesFile.read(K3D_DEVICES)), 10);
        assertThat(catalog.devices().keySet())
                .containsExactly("living_room_light", "kitchen_plug", "bedroom_climate", "hallway_button");
        assertThat(catalog.device("hallway_button").actions())
                .containsExactly("single", "double", "triple", "quadruple", "hold", "release");
        assertThat(catalog.device("hallway_button").model()).isEqualTo("WXKG11LM");
        assertThat(catalog.device("kitchen_plug").actions()).isEmpty();
    }

    @Test
    void whatIsNoDeviceListIsRefusedSaySoWhy() throws Exception {
        assertThatThrownBy(() -> DeviceCatalog.parse("online", 10)).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> DeviceCatalog.parse("", 10)).hasMessage("not a JSON array of devices");
        assertThatThrownBy(() -> DeviceCatalog.parse("{\"devices\":[]}", 10)).hasMessage("not a JSON array of devices");
        assertThatThrownBy(() -> DeviceCatalog.parse("[{\"friendly_name\":\"a\"}]", 10))
                .hasMessage("[0]: no friendly_name or ieee_address");
        assertThatThrownBy(() -> DeviceCatalog.parse("[{\"friendly_name\":\"a\",\"ieee_address\":\"0x1\"},"
                + "{\"friendly_name\":\"a\",\"ieee_address\":\"0x2\"}]", 10))
                .hasMessage("[1]: friendly_name 'a' is used twice");
        assertThatThrownBy(() -> DeviceCatalog.parse(Files.readString(FIXTURE), 3))
                .hasMessage("more than 3 devices (MAX_DEVICES)");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i <= DeviceCatalog.MAX_ACTIONS; i++) {
            values.append(i == 0 ? "" : ",").append("\"a").append(i).append('"');
        }
        assertThatThrownBy(() -> DeviceCatalog.parse("[{\"friendly_name\":\"x\",\"ieee_address\":\"0x1\",\"definition\":"
                + "{\"exposes\":[{\"type\":\"enum\",\"name\":\"action\",\"property\":\"action\",\"values\":[" + values
                + "]}]}}]", 10)).hasMessage("[0] (x): 257 action values, more than 256");
    }
}
