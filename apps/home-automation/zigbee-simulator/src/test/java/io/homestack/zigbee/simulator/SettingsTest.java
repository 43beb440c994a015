package io.homestack.zigbee.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheClustersBrokerAndZigbee2mqttsTopics() {
        Settings s = Settings.from(Map.of());
        assertThat(s.brokerUrl()).isEqualTo("tcp://mosquitto.home-automation.svc:1883");
        assertThat(s.topics()).isEqualTo(new Topics("zigbee2mqtt", "homeassistant"));
        assertThat(s.metricsPort()).isEqualTo(9090);
        assertThat(s.username()).isNull();
    }

    @Test
    void secretsComeFromMountedFilesBeforeVariables() throws IOException {
        Path user = Files.writeString(dir.resolve("username"), "zigbee2mqtt\n");
        Settings s = Settings.from(Map.of("MQTT_USERNAME_FILE", user.toString(), "MQTT_USERNAME", "ignored",
                "MQTT_PASSWORD", "pw", "METRICS_PORT", "0"));
        assertThat(s.username()).isEqualTo("zigbee2mqtt");
        assertThat(s.password()).isEqualTo("pw");
        assertThat(s.toString()).doesNotContain("pw");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> Settings.from(Map.of("METRICS_PORT", "http")))
                .hasMessage("METRICS_PORT='http' is not a number");
        assertThatThrownBy(() -> Settings.from(Map.of("MQTT_PASSWORD_FILE", dir.resolve("none").toString())))
                .hasMessageStartingWith("MQTT_PASSWORD_FILE=" + dir.resolve("none") + ": cannot read");
    }
}
