package io.homestack.eventbridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    private static final Map<String, String> LOGIN = Map.of("MQTT_USERNAME", "bridge", "MQTT_PASSWORD", "pw");

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheClustersAddresses() {
        Settings s = Settings.from(LOGIN);
        assertThat(s.brokerUrl()).isEqualTo("tcp://mosquitto.home-automation.svc:1883");
        assertThat(s.baseTopic()).isEqualTo("zigbee2mqtt");
        assertThat(s.metricsPort()).isEqualTo(9090);
        assertThat(s.clientId()).isEqualTo("event-bridge");
        assertThat(s.maxDevices()).isEqualTo(1000);
        assertThat(s.toString()).contains("as bridge").doesNotContain("pw");
    }

    @Test
    void theLoginComesFromTheMountedSecretFirst() throws Exception {
        Path user = Files.writeString(dir.resolve("username"), "bridge\n");
        Path password = Files.writeString(dir.resolve("password"), "secret\n");
        Settings s = Settings.from(Map.of("MQTT_USERNAME_FILE", user.toString(), "MQTT_USERNAME", "ignored",
                "MQTT_PASSWORD_FILE", password.toString()));
        assertThat(s.username()).isEqualTo("bridge");
        assertThat(s.password()).isEqualTo("secret");
    }

    @Test
    void aBadSettingIsRefusedNamingTheVariableOrFile() throws Exception {
        assertThatThrownBy(() -> Settings.from(Map.of("MQTT_PASSWORD", "pw")))
                .hasMessageStartingWith("MQTT_USERNAME is not set (nor MQTT_USERNAME_FILE)");
        Path missing = dir.resolve("none");
        assertThatThrownBy(() -> Settings.from(Map.of("MQTT_USERNAME", "bridge", "MQTT_PASSWORD_FILE", missing.toString())))
                .hasMessageStartingWith("MQTT_PASSWORD_FILE=" + missing + ": cannot read it");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> Settings.from(Map.of("MQTT_USERNAME_FILE", empty.toString(), "MQTT_PASSWORD", "pw")))
                .hasMessage("MQTT_USERNAME_FILE=" + empty + ": the file is empty");
        assertThatThrownBy(() -> Settings.from(with("METRICS_PORT", "http"))).hasMessage("METRICS_PORT='http' is not a number");
        assertThatThrownBy(() -> Settings.from(with("METRICS_PORT", "70000")))
                .hasMessage("METRICS_PORT='70000' is not between 0 and 65535");
        assertThatThrownBy(() -> Settings.from(with("MAX_DEVICES", "0"))).hasMessageStartingWith("MAX_DEVICES='0'");
        assertThatThrownBy(() -> Settings.from(with("MQTT_URL", "mosquitto:1883"))).hasMessageStartingWith("MQTT_URL=");
        assertThatThrownBy(() -> Settings.from(with("MQTT_URL", "http://mosquitto:1883")))
                .hasMessage("MQTT_URL='http://mosquitto:1883' is not tcp://host:port or ssl://host:port");
        assertThatThrownBy(() -> Settings.from(with("BASE_TOPIC", "zigbee2mqtt/#"))).hasMessageStartingWith("BASE_TOPIC=");
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> env = new HashMap<>(LOGIN);
        env.put(name, value);
        return env;
    }
}
