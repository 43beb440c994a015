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
            new Device("0x00158d0000000003", "climate", DeviceKind.CLIMATE_SENSOR, "Aqara", "WSDCGQ11LM", "sensor")));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bridgeStateIsZigbee2mqttsJson() {
        assertThat(Z2mPayloads.bridgeState(true)).isEqualTo("{\"state\":\"online\"}");
        assertThat(Z2mPayloads.bridgeState(false)).isEqualTo("{\"state\":\"offline\"}");
    }

    @Test
    void bridgeDevicesListsTheCoordinatorAndEveryDeviceWithItsExposes() throws Exception {
        JsonNode list = JSON.readTree(Z2mPayloads.bridgeDevices(NETWORK));
        assertThat(list).hasSize(4);
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
    void networkAddressesAreStableAndInRange() {
        for (Device d : NETWORK.devices()) {
            assertThat(Z2mPayloads.networkAddress(d)).isBetween(1, 0xFFF0).isEqualTo(Z2mPayloads.networkAddress(d));
        }
    }
}
