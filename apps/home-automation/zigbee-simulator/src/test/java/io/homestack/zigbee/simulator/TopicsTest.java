package io.homestack.zigbee.simulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTest {

    private final Topics topics = new Topics("zigbee2mqtt", "homeassistant");

    @Test
    void zigbee2mqttsTopics() {
        assertThat(topics.bridgeState()).isEqualTo("zigbee2mqtt/bridge/state");
        assertThat(topics.bridgeDevices()).isEqualTo("zigbee2mqtt/bridge/devices");
        assertThat(topics.device("lamp")).isEqualTo("zigbee2mqtt/lamp");
        assertThat(topics.allSets()).isEqualTo("zigbee2mqtt/+/set");
        assertThat(topics.discovery("light", "0x0000000000000002", "light"))
                .isEqualTo("homeassistant/light/0x0000000000000002/light/config");
        assertThat(topics.homeAssistantStatus()).isEqualTo("homeassistant/status");
    }

    @Test
    void onlyADevicesSetTopicNamesATarget() {
        assertThat(topics.setTarget("zigbee2mqtt/lamp/set")).isEqualTo("lamp");
        assertThat(topics.setTarget("zigbee2mqtt/lamp")).isNull();
        assertThat(topics.setTarget("zigbee2mqtt//set")).isNull();
        assertThat(topics.setTarget("zigbee2mqtt/a/b/set")).isNull();
        assertThat(topics.setTarget("other/lamp/set")).isNull();
    }
}
