package io.homestack.zigbee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HomeAssistantDiscoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Topics TOPICS = new Topics("zigbee2mqtt", "homeassistant");

    @Test
    void aLightIsAJsonSchemaLightCommandedThroughSet() throws Exception {
        List<HomeAssistantDiscovery.Config> configs = configs(0);
        assertThat(configs).extracting(HomeAssistantDiscovery.Config::topic).containsExactly(
                "homeassistant/light/0x0017880100000001/light/config",
                "homeassistant/sensor/0x0017880100000001/linkquality/config");
        JsonNode light = JSON.readTree(configs.get(0).payload());
        assertThat(light.path("unique_id").asText()).isEqualTo("0x0017880100000001_light_zigbee2mqtt");
        assertThat(light.path("schema").asText()).isEqualTo("json");
        assertThat(light.path("state_topic").asText()).isEqualTo("zigbee2mqtt/lamp");
        assertThat(light.path("command_topic").asText()).isEqualTo("zigbee2mqtt/lamp/set");
        assertThat(light.path("brightness_scale").asInt()).isEqualTo(254);
        assertThat(light.path("availability").get(0).path("topic").asText()).isEqualTo("zigbee2mqtt/bridge/state");
        assertThat(light.path("availability").get(0).path("value_template").asText()).isEqualTo("{{ value_json.state }}");
        assertThat(light.path("device").path("identifiers").get(0).asText()).isEqualTo("zigbee2mqtt_0x0017880100000001");
        assertThat(light.path("device").path("via_device").asText()).isEqualTo("zigbee2mqtt_bridge_0x00124b0000000001");
        assertThat(light.has("name") && light.get("name").isNull()).as("the entity is named after the device").isTrue();
    }

    @Test
    void aSwitchSendsOnOffAndASensorReadsItsPropertyFromTheStateJson() throws Exception {
        JsonNode plug = JSON.readTree(configs(1).get(0).payload());
        assertThat(configs(1).get(0).topic()).isEqualTo("homeassistant/switch/0x0017880100000002/switch/config");
        assertThat(plug.path("payload_on").asText()).isEqualTo("ON");
        assertThat(plug.path("value_template").asText()).isEqualTo("{{ value_json.state }}");
        List<HomeAssistantDiscovery.Config> climate = configs(2);
        assertThat(climate).extracting(HomeAssistantDiscovery.Config::topic).containsExactly(
                "homeassistant/sensor/0x00158d0000000003/temperature/config",
                "homeassistant/sensor/0x00158d0000000003/humidity/config",
                "homeassistant/sensor/0x00158d0000000003/battery/config",
                "homeassistant/sensor/0x00158d0000000003/linkquality/config");
        JsonNode temperature = JSON.readTree(climate.get(0).payload());
        assertThat(temperature.path("device_class").asText()).isEqualTo("temperature");
        assertThat(temperature.path("unit_of_measurement").asText()).isEqualTo("°C");
        assertThat(temperature.path("value_template").asText()).isEqualTo("{{ value_json.temperature }}");
        assertThat(temperature.path("state_class").asText()).isEqualTo("measurement");
        assertThat(temperature.has("command_topic")).isFalse();
        JsonNode linkquality = JSON.readTree(climate.get(3).payload());
        assertThat(linkquality.path("enabled_by_default").asBoolean(true)).isFalse();
    }

    @Test
    void aButtonHasBatteryVoltageAndLinkQualitySensorsAndNoActionEntity() throws Exception {
        List<HomeAssistantDiscovery.Config> remote = configs(3);
        assertThat(remote).extracting(HomeAssistantDiscovery.Config::topic).containsExactly(
                "homeassistant/sensor/0x00158d0000000004/battery/config",
                "homeassistant/sensor/0x00158d0000000004/voltage/config",
                "homeassistant/sensor/0x00158d0000000004/linkquality/config");
        JsonNode voltage = JSON.readTree(remote.get(1).payload());
        assertThat(voltage.path("unit_of_measurement").asText()).isEqualTo("mV");
        assertThat(voltage.path("value_template").asText()).isEqualTo("{{ value_json.voltage }}");
    }

    /** As Zigbee2MQTT 2.14.1's publishDeviceTriggerDiscover (lib/extension/homeassistant.ts) announces an action. */
    @Test
    void anActionIsADeviceTriggerFiringOnThePlainValueAtTheActionTopic() throws Exception {
        Device button = Z2mPayloadsTest.NETWORK.devices().get(3);
        HomeAssistantDiscovery.Config trigger = HomeAssistantDiscovery.deviceTrigger(button, Z2mPayloadsTest.NETWORK,
                TOPICS, "hold");
        assertThat(trigger.topic()).isEqualTo("homeassistant/device_automation/0x00158d0000000004/action_hold/config");
        JsonNode payload = JSON.readTree(trigger.payload());
        assertThat(payload.path("automation_type").asText()).isEqualTo("trigger");
        assertThat(payload.path("type").asText()).isEqualTo("action");
        assertThat(payload.path("subtype").asText()).isEqualTo("hold");
        assertThat(payload.path("payload").asText()).isEqualTo("hold");
        assertThat(payload.path("topic").asText()).isEqualTo("zigbee2mqtt/remote/action");
        assertThat(payload.path("device")).as("the same device as the button's sensors, so HA lists it there")
                .isEqualTo(JSON.readTree(configs(3).get(0).payload()).path("device"));
    }

    private static List<HomeAssistantDiscovery.Config> configs(int device) {
        return HomeAssistantDiscovery.configs(Z2mPayloadsTest.NETWORK.devices().get(device), Z2mPayloadsTest.NETWORK, TOPICS);
    }
}
