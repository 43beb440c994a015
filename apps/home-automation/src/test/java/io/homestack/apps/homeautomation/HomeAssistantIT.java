package io.homestack.apps.homeautomation;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.BundleRenders;
import io.homestack.bundle.test.engine.EngineProcess;
import io.homestack.bundle.test.engine.HomeAssistant;
import io.homestack.bundle.test.engine.Mosquitto;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Home Assistant (PyPI, the kit's {@link HomeAssistant}) on the bundle's rendered configuration, seeded by the
 * rendered init container's own script, against the bundle's real Mosquitto ({@link BundleMosquitto}, the logins from
 * the k3d SealedSecrets); a device announced
 * the way Zigbee2MQTT announces it (HA MQTT discovery under {@code homeassistant/}, state on {@code zigbee2mqtt/<name>},
 * published here with Paho) becomes an HA entity, HA's commands reach {@code zigbee2mqtt/<name>/set}, and
 * {@code /api/prometheus} shows what the seed's open question asks about (docs/decisions.md, "Home Assistant metrics").
 */
class HomeAssistantIT {

    private static final String ENV = "k3d";
    private static final String LAMP = "living_room_lamp";
    private static final String DEVICE = """
            "device": {"identifiers": ["zigbee2mqtt_%1$s"], "name": "%2$s", "manufacturer": "IKEA", "model": "E27"}""";
    /** What a user would add in the UI: the hallway button's single press toggles the lamp. */
    private static final String AUTOMATION = """
            - id: hallway_button
              alias: Hallway button toggles the lamp
              triggers:
                - trigger: mqtt
                  topic: zigbee2mqtt/hallway_button/action
                  payload: single
              actions:
                - action: light.toggle
                  target:
                    entity_id: light.living_room_lamp
            """;

    @TempDir
    Path dir;

    private final BundleRenders renders = BundleRenders.ofModule();
    private HomeAssistant ha;
    private Mosquitto mosquitto;

    /** Per test, so that each one is counted as skipped (outside CI) when an engine is missing. */
    @BeforeEach
    void engines() {
        ha = HomeAssistant.locate();
        mosquitto = Mosquitto.locate();
    }

    @Test
    void haOwnCheckConfigPassesOnTheRenderedConfiguration() throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        HomeAssistantSeed.seed(renders, ENV, ha, config, "127.0.0.1", 1883, HomeAssistantSeed.BUNDLE_SECRETS,
                dir.resolve("seed.log"));
        Files.writeString(config.resolve("configuration.yaml"), HomeAssistantRender.configuration(renders, ENV));

        HomeAssistant.CheckResult check = ha.checkConfig(config, dir.resolve("check_config.log"));
        assertThat(check.passed()).as("hass --script check_config:\n%s", check.output()).isTrue();
    }

    /** Bad input: HA's own message, naming the file (and the line), whether YAML or an integration's schema is broken. */
    @Test
    void aBrokenConfigurationFailsHaOwnCheckWithItsMessageNamingTheFile() throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        HomeAssistantSeed.seed(renders, ENV, ha, config, "127.0.0.1", 1883, HomeAssistantSeed.BUNDLE_SECRETS,
                dir.resolve("seed.log"));
        String rendered = HomeAssistantRender.configuration(renders, ENV);

        Files.writeString(config.resolve("configuration.yaml"), rendered + "logger: [default: info\n");
        HomeAssistant.CheckResult syntax = ha.checkConfig(config, dir.resolve("check-syntax.log"));
        assertThat(syntax.passed()).isFalse();
        assertThat(syntax.exitCode()).isNotZero();
        assertThat(syntax.output()).contains("Failed config", "while parsing",
                "in \"" + config.resolve("configuration.yaml") + "\", line");

        Files.writeString(config.resolve("configuration.yaml"), rendered.replace("requires_auth: false", "requires_auth: maybe"));
        HomeAssistant.CheckResult schema = ha.checkConfig(config, dir.resolve("check-schema.log"));
        assertThat(schema.passed()).as("an invalid option is reported, though check_config exits 0").isFalse();
        assertThat(schema.output()).contains("Invalid config for 'prometheus' at configuration.yaml, line",
                "invalid boolean value maybe");
    }

    /**
     * Behind the gateway: the sidecar hands requests to HA from 127.0.0.6 with the gateway's X-Forwarded-For, which HA
     * must accept; the same header from any other peer HA refuses (400), so a forged client address gets nowhere.
     */
    @Test
    void haTakesTheForwardedClientFromTheSidecarHopOnly() throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        HomeAssistantSeed.seed(renders, ENV, ha, config, "127.0.0.1", FreePorts.next(),
                HomeAssistantSeed.BUNDLE_SECRETS, dir.resolve("seed.log"));
        int port = HomeAssistantSeed.configurationOnAFreePort(renders, ENV, config);
        try (EngineProcess hass = ha.start(config, port, dir.resolve("home-assistant.log"))) {
            assertThat(HomeAssistantApi.statusFrom("127.0.0.6", port, "203.0.113.7")).as("from the sidecar's hop")
                    .isEqualTo(200);
            assertThat(HomeAssistantApi.statusFrom("127.0.0.1", port, "203.0.113.7")).as("from another peer")
                    .isEqualTo(400);
            assertThat(HomeAssistantApi.statusFrom("127.0.0.1", port, null)).as("no header, any peer").isEqualTo(200);
        }
    }

    /** The Secret stays the one source of the broker's credentials: a re-seed updates the entry, it never adds one. */
    @Test
    void reSeedingKeepsTheOneMqttEntryAndTakesTheSecretsNewPassword() throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        HomeAssistantSeed.seed(renders, ENV, ha, config, "127.0.0.1", 1883, HomeAssistantSeed.BUNDLE_SECRETS,
                dir.resolve("seed.log"));
        Files.writeString(config.resolve("automations.yaml"), AUTOMATION);
        Map<String, Object> first = mqttEntry(config);
        assertThat(KubeObject.path(first, "data")).containsEntry("broker", "127.0.0.1").containsEntry("port", 1883)
                .containsEntry("username", "homeassistant").containsEntry("password",
                        BundleMosquitto.secret("mqtt-homeassistant").stringValue("password"));

        HomeAssistantSeed.seed(renders, ENV, ha, config, "127.0.0.1", 1884, (secret, key) -> key.equals("password")
                ? "a-new-password" : HomeAssistantSeed.BUNDLE_SECRETS.value(secret, key), dir.resolve("seed-2.log"));
        Map<String, Object> second = mqttEntry(config);
        assertThat(second.get("entry_id")).isEqualTo(first.get("entry_id"));
        assertThat(KubeObject.path(second, "data")).containsEntry("port", 1884).containsEntry("password", "a-new-password");
        assertThat(Files.readString(config.resolve("automations.yaml"))).as("the UI's file is never overwritten")
                .isEqualTo(AUTOMATION);
    }

    /**
     * A restart: the entries file is now HA's own (its current storage format, its migrated MQTT entry); the init
     * container re-sets the credentials in it and HA logs in again.
     */
    @Test
    void onARestartTheSeedUpdatesHaOwnEntriesFileAndHaLogsInAgain() throws Exception {
        try (Mosquitto.Broker broker = BundleMosquitto.start(dir.resolve("broker"))) {
            Path config = Files.createDirectories(dir.resolve("config"));
            int port = HomeAssistantSeed.configurationOnAFreePort(renders, ENV, config);
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            MqttClient z2m = zigbee2mqtt(broker, received, "homeassistant/status");
            try {
                for (int start = 1; start <= 2; start++) {
                    HomeAssistantSeed.seed(renders, ENV, ha, config, "127.0.0.1", broker.port(),
                            HomeAssistantSeed.BUNDLE_SECRETS, dir.resolve("seed-" + start + ".log"));
                    try (EngineProcess hass = ha.start(config, port, dir.resolve("home-assistant-" + start + ".log"))) {
                        assertThat(poll(received, "homeassistant/status online")).as("start %d: %s", start,
                                hass.report()).isNotNull();
                    }
                    received.clear();
                }
            } finally {
                z2m.disconnect();
                z2m.close();
            }
            Map<String, Object> store = Yaml.readMap(Files.readString(config.resolve(".storage/core.config_entries")),
                    "core.config_entries");
            assertThat(((Number) store.get("minor_version")).intValue()).as("HA rewrote the file in its own format")
                    .isGreaterThan(1);
            assertThat(mqttEntry(config).get("created_at")).as("a field only HA's format has").isNotNull();
        }
    }

    private static Map<String, Object> mqttEntry(Path config) throws IOException {
        Map<String, Object> store = Yaml.readMap(Files.readString(config.resolve(".storage/core.config_entries")),
                "core.config_entries");
        List<Map<String, Object>> mqtt = KubeObject.list(KubeObject.path(store, "data").get("entries")).stream()
                .map(KubeObject::map).filter(e -> "mqtt".equals(e.get("domain"))).toList();
        assertThat(mqtt).as("one MQTT entry").hasSize(1);
        return mqtt.get(0);
    }

    @Test
    void aZigbee2mqttDeviceBecomesAnEntityHaCommandsReachItsSetTopicAndPrometheusShowsItsState() throws Exception {
        // The broker as the k3d bundle ships it: its rendered configuration and ACL, the password file and the
        // clients' logins from its SealedSecrets.
        try (Mosquitto.Broker broker = BundleMosquitto.start(dir.resolve("broker"))) {
            HomeAssistantSeed.Seeded seeded = HomeAssistantSeed.seeded(renders, ENV, ha, broker, dir);
            Path config = seeded.config();
            int port = seeded.port();
            Files.writeString(config.resolve("automations.yaml"), AUTOMATION);
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            MqttClient z2m = zigbee2mqtt(broker, received, "homeassistant/status", "zigbee2mqtt/+/set");
            try (EngineProcess hass = ha.start(config, port, dir.resolve("home-assistant.log"))) {
                HomeAssistantApi api = HomeAssistantApi.onboard(port);
                assertThat(poll(received, "homeassistant/status ")).as("HA's birth message: it logged in with the "
                        + "seeded credentials (%s)", hass.report()).isEqualTo("homeassistant/status online");

                announce(z2m);
                api.awaitState("event.hallway_button_action", "unknown"); // discovered, no state yet
                // HA subscribes to a discovered entity's topics shortly after creating it: the devices report until
                // it has (Z2M itself republishes every state when HA's birth message comes).
                Map<String, Object> lamp = api.reportUntil(() -> publish(z2m, "zigbee2mqtt/" + LAMP,
                        "{\"state\":\"OFF\",\"brightness\":0,\"linkquality\":87}"), "light." + LAMP, "off");
                assertThat(KubeObject.path(lamp, "attributes")).as("Z2M's extra fields are the light's attributes")
                        .containsEntry("linkquality", 87);
                api.reportUntil(() -> publish(z2m, "zigbee2mqtt/hallway_sensor", "{\"temperature\":21.5,\"linkquality\":60}"),
                        "sensor.hallway_sensor_temperature", "21.5");
                PrometheusText before = PrometheusText.parse(api.metricsWithoutToken());

                api.callService("light", "turn_on", "{\"entity_id\":\"light." + LAMP + "\",\"brightness\":128}");
                String command = poll(received, "zigbee2mqtt/" + LAMP + "/set ");
                Map<String, Object> set = Yaml.readMap(command.substring(command.indexOf(' ') + 1), "the command");
                assertThat(set).as("HA's 128 of 255 on Z2M's scale of 254 (brightness_scale)").containsEntry("state", "ON")
                        .containsEntry("brightness", 127);
                publish(z2m, "zigbee2mqtt/" + LAMP, "{\"state\":\"ON\",\"brightness\":127,\"linkquality\":87}");
                api.awaitState("light." + LAMP, "on");
                publish(z2m, "zigbee2mqtt/hallway_sensor", "{\"temperature\":22.5,\"linkquality\":60}");
                api.awaitState("sensor.hallway_sensor_temperature", "22.5");

                // A button press, as Z2M sends it: its action on the device's state topic (the event entity) and on
                // <name>/action (device triggers and the user's automation).
                publish(z2m, "zigbee2mqtt/hallway_button", "{\"action\":\"single\",\"linkquality\":70}");
                publish(z2m, "zigbee2mqtt/hallway_button/action", "single");
                assertThat(poll(received, "zigbee2mqtt/" + LAMP + "/set ")).as("the automation ran")
                        .contains("\"state\":\"OFF\"");
                Map<String, Object> event = api.awaitAttribute("event.hallway_button_action", "event_type", "single");
                PrometheusText after = PrometheusText.parse(api.metricsWithoutToken());

                // What reaches Prometheus: every state change, and the values of the domains the integration knows.
                String light = "light." + LAMP;
                assertThat(after.value("homeassistant_light_brightness_percent", light)).isGreaterThan(40.0);
                assertThat(before.value("homeassistant_light_brightness_percent", light)).isZero();
                assertThat(after.value("homeassistant_state_change_total", light))
                        .isGreaterThan(before.value("homeassistant_state_change_total", light));
                assertThat(before.value("homeassistant_sensor_temperature_celsius", "sensor.hallway_sensor_temperature"))
                        .isEqualTo(21.5);
                assertThat(after.value("homeassistant_sensor_temperature_celsius", "sensor.hallway_sensor_temperature"))
                        .isEqualTo(22.5);
                assertThat(after.value("homeassistant_automation_triggered_count_total",
                        "automation.hallway_button_toggles_the_lamp")).as("an automation run counts")
                        .isGreaterThan(before.value("homeassistant_automation_triggered_count_total",
                                "automation.hallway_button_toggles_the_lamp"));
                // What does not: attributes (but a switch's), the press itself (the event entity's state is only the
                // time of the last event; its type is an attribute), device triggers (events, no entity).
                assertThat(after.series()).as("no attribute of a light").noneMatch(s -> s.contains("linkquality"));
                String button = "event.hallway_button_action";
                assertThat(after.namesFor(button)).as("the event entity: state bookkeeping only (%s)", event)
                        .containsExactlyInAnyOrder("homeassistant_state_change_total",
                                "homeassistant_state_change_created", "homeassistant_entity_available",
                                "homeassistant_last_updated_time_seconds");
                assertThat(after.series()).as("the press's type nowhere").noneMatch(s -> s.contains("single"));
                assertThat(Files.readString(dir.resolve("home-assistant.log"))).as("every integration set up from "
                        + "the venv alone (homeassistant.sh INTEGRATIONS)").doesNotContain("Setup failed for");
            } finally {
                z2m.disconnect();
                z2m.close();
            }
        }
    }

    /** Zigbee2MQTT's login (its k3d Secret), subscribed to {@code topics}: each message as "topic payload". */
    private static MqttClient zigbee2mqtt(Mosquitto.Broker broker, BlockingQueue<String> received, String... topics)
            throws Exception {
        MqttClient z2m = BundleMosquitto.connect(broker, "zigbee2mqtt",
                BundleMosquitto.secret("mqtt-zigbee2mqtt").stringValue("password"));
        IMqttMessageListener record = (topic, message) -> received.add(topic + " "
                + new String(message.getPayload(), StandardCharsets.UTF_8));
        for (String topic : topics) {
            z2m.subscribe(topic, 1, record);
        }
        return z2m;
    }

    private static void announce(MqttClient z2m) throws Exception {
        String lamp = "0x000b57fffec6a5b2";
        publishRetained(z2m, "homeassistant/light/" + lamp + "/light/config", """
                {"name": null, "object_id": "%2$s", "unique_id": "%1$s_light_zigbee2mqtt", "schema": "json",
                 "brightness": true, "brightness_scale": 254,
                 "state_topic": "zigbee2mqtt/%2$s", "json_attributes_topic": "zigbee2mqtt/%2$s",
                 "command_topic": "zigbee2mqtt/%2$s/set", %3$s}""".formatted(lamp, LAMP,
                DEVICE.formatted(lamp, LAMP)));
        String sensor = "0x00158d00045b2a1f";
        publishRetained(z2m, "homeassistant/sensor/" + sensor + "/temperature/config", """
                {"name": "Temperature", "object_id": "hallway_sensor_temperature",
                 "unique_id": "%1$s_temperature_zigbee2mqtt", "device_class": "temperature",
                 "state_class": "measurement", "unit_of_measurement": "°C",
                 "state_topic": "zigbee2mqtt/hallway_sensor", "value_template": "{{ value_json.temperature }}",
                 %2$s}""".formatted(sensor, DEVICE.formatted(sensor, "hallway_sensor")));
        String button = "0x00158d0001e1c2d3";
        publishRetained(z2m, "homeassistant/event/" + button + "/action/config", """
                {"name": "Action", "object_id": "hallway_button_action", "unique_id": "%1$s_action_zigbee2mqtt",
                 "event_types": ["single", "double", "hold"], "state_topic": "zigbee2mqtt/hallway_button",
                 "value_template": "{{ {'event_type': value_json.action} | to_json }}", %2$s}"""
                .formatted(button, DEVICE.formatted(button, "hallway_button")));
        publishRetained(z2m, "homeassistant/device_automation/" + button + "/action_single/config", """
                {"automation_type": "trigger", "type": "action", "subtype": "single", "payload": "single",
                 "topic": "zigbee2mqtt/hallway_button/action", %s}""".formatted(DEVICE.formatted(button, "hallway_button")));
    }

    private static void publish(MqttClient client, String topic, String payload) throws Exception {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private static void publishRetained(MqttClient client, String topic, String payload) throws Exception {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, true);
    }

    /** The next message whose "topic payload" starts with {@code prefix}, within 60 s; others are dropped. */
    private static String poll(BlockingQueue<String> received, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String message = received.poll(1, TimeUnit.SECONDS);
            if (message != null && message.startsWith(prefix)) {
                return message;
            }
        }
        throw new AssertionError("no MQTT message on " + prefix.strip() + " within 60 s");
    }

}
