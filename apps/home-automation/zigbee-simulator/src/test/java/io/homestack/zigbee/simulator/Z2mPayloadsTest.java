package io.homestack.zigbee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Z2mPayloadsTest {

    static final DevicesFile NETWORK = new DevicesFile("0x00124b0000000001", List.of(
            new Device("0x0017880100000001", "lamp", DeviceKind.LIGHT, "Philips", "9290011370", "bulb"),
            new Device("0x0017880100000002", "plug", DeviceKind.SWITCH, "IKEA", "E1603", "outlet"),
            new Device("0x00158d0000000003", "climate", DeviceKind.CLIMATE_SENSOR, "Aqara", "WSDCGQ11LM", "sensor"),
            new Device("0x00158d0000000004", "remote", DeviceKind.BUTTON, "Aqara", "WXKG11LM", "mini switch")));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bridgeStateIsZigbee2mqttsJson() {
        assertThat(Z2mPayloads.bridgeState(true)).isEqualTo("{\"state\":\"online\"}");
        assertThat(Z2mPayloads.bridgeState(false)).isEqualTo("{\"state\":\"offline\"}");
    }

    @Test
    void bridgeDevicesListsTheCoordinatorAndEveryDeviceWithItsExposes() throws Exception {
        JsonNode list = JSON.readTree(Z2mPayloads.bridgeDevices(NETWORK));
        assertThat(list).hasSize(5);
        assertThat(list.get(0).path("type").asText()).isEqualTo("Coordinator");
        assertThat(list.get(0).path("ieee_address").asText()).isEqualTo("0x00124b0000000001");
        JsonNode lamp = list.get(1);
        assertThat(lamp.path("friendly_name").asText()).isEqualTo("lamp");
        assertThat(lamp.path("type").asText()).isEqualTo("Router");
        assertThat(lamp.path("interview_completed").asBoolean()).isTrue();
        assertThat(lamp.path("supported").asBoolean()).isTrue();
        assertThat(lamp.path("definition").path("vendor").asText()).isEqualTo("Philips");
        JsonNode light = lamp.path("definition").path("exposes").get(0);
        assertThat(light.path("type").asText()).isEqualTo("light");
        assertThat(light.path("features").findValuesAsText("property")).containsExactly("state", "brightness");
        assertThat(light.path("features").get(0).path("access").asInt()).as("published, settable, gettable").isEqualTo(7);
        JsonNode climate = list.get(3);
        assertThat(climate.path("type").asText()).isEqualTo("EndDevice");
        assertThat(climate.path("power_source").asText()).isEqualTo("Battery");
        assertThat(climate.path("definition").path("exposes").findValuesAsText("property"))
                .containsExactly("temperature", "humidity", "battery", "linkquality");
        assertThat(climate.path("definition").path("exposes").get(0).path("access").asInt()).as("published only").isEqualTo(1);
    }

    @Test
    void aButtonExposesItsActionsAsWxkg11lmDoesAndAPressCarriesTheActionOnce() throws Exception {
        JsonNode remote = JSON.readTree(Z2mPayloads.bridgeDevices(NETWORK)).get(4);
        assertThat(remote.path("type").asText()).isEqualTo("EndDevice");
        JsonNode exposes = remote.path("definition").path("exposes");
        assertThat(exposes.findValuesAsText("property")).containsExactly("battery", "voltage", "action", "linkquality");
        JsonNode action = exposes.get(2);
        assertThat(action.path("type").asText()).isEqualTo("enum");
        assertThat(action.path("name").asText()).isEqualTo("action");
        assertThat(action.path("access").asInt()).as("published only").isEqualTo(1);
        assertThat(JSON.convertValue(action.path("values"), List.class))
                .containsExactly("single", "double", "triple", "quadruple", "hold", "release");
        assertThat(Z2mPayloads.action("double", DeviceKind.BUTTON.initialState()))
                .isEqualTo("{\"action\":\"double\",\"battery\":100,\"voltage\":3005,\"linkquality\":90}");
        assertThat(DeviceKind.BUTTON.initialState()).doesNotContainKey("action");
    }

    @Test
    void networkAddressesAreStableAndInRange() {
        for (Device d : NETWORK.devices()) {
            assertThat(Z2mPayloads.networkAddress(d)).isBetween(1, 0xFFF0).isEqualTo(Z2mPayloads.networkAddress(d));
        }
    }
}
