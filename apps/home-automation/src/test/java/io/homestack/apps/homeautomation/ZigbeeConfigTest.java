package io.homestack.apps.homeautomation;

import com.fasterxml.jackson.databind.JsonNode;
import io.homestack.bundle.inventory.Inventory;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.testsupport.SkipsCounted;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.homestack.bundle.k8s.Yaml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Zigbee2MQTT configuration k3s renders (configuration.yaml plus the Deployment's ZIGBEE2MQTT_CONFIG_* variables,
 * Secrets by stand-in values of their format) against the settings schema of the pinned zigbee2mqtt npm package, the
 * version the image runs.
 */
@ExtendWith(SkipsCounted.class)
class ZigbeeConfigTest {

    static final String CONFIGURATION = "manifests/base/zigbee2mqtt/configuration.yaml";
    /** Stand-ins in the format the operator seals for k3s (README, "Zigbee2MQTT"). */
    static final Map<String, String> SECRETS = Map.of(
            "mqtt-zigbee2mqtt/username", "zigbee2mqtt",
            "mqtt-zigbee2mqtt/password", "stand-in-for-the-sealed-password",
            "zigbee2mqtt-network-key/network_key", "[1, 35, 69, 103, 137, 171, 205, 239, 2, 36, 70, 104, 138, 172, 206, 240]");

    static HomeAutomationEngines engines;
    static JsonNode schema;

    @BeforeAll
    static void engines() {
        engines = HomeAutomationEngines.require();
        schema = ZigbeeSettings.readSchema(engines.zigbee2mqttSchema());
    }

    static String configurationYaml() {
        KubeObject config = HomeAutomationRenders.configMapOfVolume("k3s", HomeAutomationRenders.podSpec("k3s",
                "zigbee2mqtt"), "config");
        return KubeObject.string(KubeObject.path(config.body(), "data").get("configuration.yaml"));
    }

    static Map<String, String> environment() {
        return ZigbeeSettings.environment(HomeAutomationRenders.container(HomeAutomationRenders.podSpec("k3s",
                "zigbee2mqtt"), "zigbee2mqtt"), SECRETS);
    }

    @Test
    void theRenderedConfigurationIsValidForThePinnedZigbee2mqtt() {
        ZigbeeSettings settings = ZigbeeSettings.read(configurationYaml(), CONFIGURATION, environment(), schema);

        assertThat(settings.violations(schema)).isEmpty();
        Map<String, Object> s = settings.settings();
        assertThat(KubeObject.path(s, "mqtt")).containsEntry("server", "mqtt://mosquitto.home-automation.svc:1883")
                .containsEntry("base_topic", "zigbee2mqtt").containsEntry("user", "zigbee2mqtt")
                .as("the password comes from the Secret, never the file")
                .containsEntry("password", "stand-in-for-the-sealed-password");
        assertThat(KubeObject.path(s, "homeassistant")).containsEntry("enabled", true)
                .containsEntry("discovery_topic", "homeassistant");
        assertThat(KubeObject.path(s, "frontend")).containsEntry("enabled", true).containsEntry("port", 8080);
        assertThat(KubeObject.path(s, "advanced").get("network_key")).as("the network key, from its Secret")
                .isInstanceOf(List.class);
        assertThat(KubeObject.path(s, "serial")).as("the coordinator of the inventory, where the device plugin mounts it")
                .containsEntry("port", "/dev/zigbee")
                .containsEntry("adapter", Inventory.read(HomeAutomationRenders.RENDERS.bundleDir()
                        .resolve("../../clusters/k3s/inventory.yaml")).zigbee().orElseThrow().adapter());
        assertThat(settings.origins()).containsOnlyKeys("mqtt.user", "mqtt.password", "advanced.network_key",
                "serial.adapter");
    }

    /**
     * Zigbee2MQTT's own code, the pinned version from npm, reads the same file and variables: no errors, the settings
     * version it would not migrate, and the variables' values where the configuration needs them.
     */
    @Test
    void zigbee2mqttItselfAcceptsItAndTakesTheSecretsFromTheVariables(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve("configuration.yaml"), configurationYaml());
        ProcessBuilder run = new ProcessBuilder(engines.node().toString(),
                HomeAutomationEngines.ENGINES.resolve("zigbee2mqtt-settings.js").toAbsolutePath().toString(),
                engines.zigbee2mqttPackage().toString()).redirectErrorStream(false);
        run.environment().keySet().removeIf(k -> k.startsWith(ZigbeeSettings.PREFIX));
        run.environment().putAll(environment());
        run.environment().put("ZIGBEE2MQTT_DATA", data.toString());
        Process process = run.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("zigbee2mqtt's settings check: %s", err).isZero();
        Map<String, Object> result = Yaml.readMap(out, "zigbee2mqtt-settings.js output");

        assertThat(KubeObject.list(result.get("errors"))).as("zigbee2mqtt's own validation of " + CONFIGURATION).isEmpty();
        assertThat(Yaml.readMap(configurationYaml(), CONFIGURATION).get("version"))
                .as("the settings version of the pinned zigbee2mqtt: no migration rewriting the file at start")
                .isEqualTo(result.get("currentVersion"));
        Map<String, Object> s = KubeObject.map(result.get("settings"));
        assertThat(KubeObject.path(s, "mqtt")).containsEntry("user", "zigbee2mqtt")
                .containsEntry("password", "stand-in-for-the-sealed-password");
        assertThat(KubeObject.path(s, "advanced").get("network_key")).isEqualTo(
                List.of(1, 35, 69, 103, 137, 171, 205, 239, 2, 36, 70, 104, 138, 172, 206, 240));
        assertThat(KubeObject.path(s, "serial").get("adapter")).isEqualTo(environment().get(
                "ZIGBEE2MQTT_CONFIG_SERIAL_ADAPTER"));
        assertThat(Yaml.readMap(Files.readString(data.resolve("configuration.yaml")), "written").get("devices"))
                .as("device options stay in their own file on the data volume").isEqualTo("devices.yaml");
    }

    @Test
    void anInvalidSettingFailsNamingTheFileAndTheRule() {
        String broken = configurationYaml().replace("  port: 8080", "  port: eighty");
        assertThat(broken).isNotEqualTo(configurationYaml());

        assertThat(ZigbeeSettings.read(broken, CONFIGURATION, environment(), schema).violations(schema))
                .singleElement().asString()
                .startsWith(CONFIGURATION + ": $.frontend.port: string found, number expected")
                .contains("(rule: type at #/properties/frontend/properties/port/type of Zigbee2MQTT's settings schema)");
    }

    @Test
    void anAdapterTypeZigbee2mqttDoesNotKnowFailsNamingTheVariable() {
        Map<String, String> env = new LinkedHashMap<>(environment());
        env.put("ZIGBEE2MQTT_CONFIG_SERIAL_ADAPTER", "conbee");

        assertThat(ZigbeeSettings.read(configurationYaml(), CONFIGURATION, env, schema).violations(schema))
                .singleElement().asString()
                .startsWith("env ZIGBEE2MQTT_CONFIG_SERIAL_ADAPTER: $.serial.adapter: does not have a value in the enumeration")
                .contains("rule: enum");
    }
}
