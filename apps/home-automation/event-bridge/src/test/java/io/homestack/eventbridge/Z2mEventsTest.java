package io.homestack.eventbridge;

import io.homestack.bundle.test.prometheus.MetricsText;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Messages in, exposition text out (the registry written as /metrics writes it, parsed strictly). */
class Z2mEventsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Z2mEvents events = new Z2mEvents("zigbee2mqtt", 100, new BridgeMetrics(registry),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private void publish(String topic, String payload) {
        events.handle(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private void devices() throws Exception {
        publish("zigbee2mqtt/bridge/devices", Files.readString(DeviceCatalogTest.FIXTURE));
    }

    private MetricsText metrics() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return MetricsText.parse(out.toString(StandardCharsets.UTF_8));
    }

    private double ignored(String reason) throws Exception {
        return metrics().value("event_bridge_messages_ignored_total{reason=\"" + reason + "\"}");
    }

    @Test
    void everyDeclaredActionHasASeriesFromTheStartAndPressesAreCounted() throws Exception {
        devices();
        publish("zigbee2mqtt/hall/button", "{\"action\":\"single\",\"battery\":100,\"linkquality\":87}");
        publish("zigbee2mqtt/hall/button", "{\"action\":\"single\"}");
        publish("zigbee2mqtt/hall/button", "{\"action\":\"hold\"}");
        publish("zigbee2mqtt/dimmer", "{\"action\":\"brightness_move_up\",\"linkquality\":40}");
        MetricsText m = metrics();
        assertThat(m.family("zigbee_device_actions_total")).hasSize(6 + 5)
                .containsEntry("zigbee_device_actions_total{action=\"single\",device=\"hall/button\"}", 2.0)
                .containsEntry("zigbee_device_actions_total{action=\"hold\",device=\"hall/button\"}", 1.0)
                .containsEntry("zigbee_device_actions_total{action=\"double\",device=\"hall/button\"}", 0.0)
                .containsEntry("zigbee_device_actions_total{action=\"brightness_move_up\",device=\"dimmer\"}", 1.0);
        assertThat(m.family("zigbee_device_link_quality")).containsOnly(
                entry("zigbee_device_link_quality{device=\"hall/button\"}", 87.0),
                entry("zigbee_device_link_quality{device=\"dimmer\"}", 40.0));
        assertThat(m.value("zigbee_device_info{device=\"hall/button\",ieee_address=\"0x00158d0000000004\","
                + "model=\"WXKG11LM\",vendor=\"Aqara\"}")).isEqualTo(1.0);
        assertThat(m.value("zigbee_device_info{device=\"0x00124b0000000009\",ieee_address=\"0x00124b0000000009\","
                + "model=\"\",vendor=\"\"}")).as("unsupported: no definition").isEqualTo(1.0);
        assertThat(m.family("zigbee_device_info")).hasSize(4);
        assertThat(m.value("event_bridge_devices")).isEqualTo(4.0);
        assertThat(m.family("event_bridge_messages_ignored_total").values()).as("nothing ignored").containsOnly(0.0);
    }

    @Test
    void whatTheListDoesNotDeclareCreatesNoSeries() throws Exception {
        devices();
        publish("zigbee2mqtt/hall/button", "{\"action\":\"spin\"}");
        publish("zigbee2mqtt/hall/button", "{\"action\":42}");
        publish("zigbee2mqtt/lamp", "{\"action\":\"single\",\"state\":\"ON\"}");
        publish("zigbee2mqtt/stranger", "{\"action\":\"single\"}");
        publish("zigbee2mqtt/hall/other", "{\"action\":\"single\"}");
        publish("zigbee2mqtt/hall/button", "single");
        publish("zigbee2mqtt/hall/button", "[1,2]");
        publish("zigbee2mqtt/hall/button", "{\"action\":\"" + "x".repeat(Z2mEvents.MAX_DEVICE_PAYLOAD) + "\"}");
        // A hostile flood of made-up devices and actions.
        for (int i = 0; i < 1000; i++) {
            publish("zigbee2mqtt/fake_" + i, "{\"action\":\"a" + i + "\",\"linkquality\":1}");
            publish("zigbee2mqtt/hall/button", "{\"action\":\"a" + i + "\"}");
        }
        MetricsText m = metrics();
        assertThat(m.family("zigbee_device_actions_total")).hasSize(11).doesNotContainKey(
                "zigbee_device_actions_total{action=\"spin\",device=\"hall/button\"}");
        assertThat(m.family("zigbee_device_actions_total").values()).containsOnly(0.0);
        assertThat(m.family("zigbee_device_last_seen_timestamp_seconds")).as("only known devices")
                .containsOnlyKeys("zigbee_device_last_seen_timestamp_seconds{device=\"hall/button\"}",
                        "zigbee_device_last_seen_timestamp_seconds{device=\"lamp\"}");
        assertThat(m.family("zigbee_device_link_quality")).isEmpty();
        assertThat(ignored("unknown_action")).isEqualTo(3.0 + 1000);
        assertThat(ignored("unknown_device")).as("stranger, hall/other, the flood").isEqualTo(2.0 + 1000);
        assertThat(ignored("device_subtopic"))
                .isEqualTo(0.0);
        assertThat(ignored("not_json")).isEqualTo(2.0);
        assertThat(ignored("too_large")).isEqualTo(1.0);
        assertThat(m.samples().size()).as("the whole exposition").isLessThan(60);
    }

    @Test
    void subTopicsAndOtherBridgeTopicsAreIgnoredAndEmptyActionsAreNoActions() throws Exception {
        devices();
        publish("zigbee2mqtt/hall/button/set", "{\"action\":\"single\"}");
        publish("zigbee2mqtt/hall/button/action", "single");
        publish("zigbee2mqtt/hall/button/availability", "{\"state\":\"online\"}");
        publish("zigbee2mqtt/lamp/set/state", "ON");
        publish("zigbee2mqtt/bridge/info", "{\"version\":\"2.6.0\"}");
        publish("zigbee2mqtt/bridge/logging", "{\"level\":\"info\",\"message\":\"hello\"}");
        publish("zigbee2mqtt/bridge/event", "{\"type\":\"device_joined\"}");
        publish("zigbee2mqtt/hall/button", "{\"action\":\"\"}");
        publish("zigbee2mqtt/hall/button", "{\"action\":null,\"battery\":99}");
        assertThat(ignored("device_subtopic")).isEqualTo(4.0);
        assertThat(ignored("bridge_topic")).isEqualTo(3.0);
        assertThat(ignored("unknown_action")).isEqualTo(0.0);
        assertThat(metrics().family("zigbee_device_actions_total").values()).containsOnly(0.0);
    }

    @Test
    void lastSeenIsZigbee2mqttsWhenItSendsOneElseTheArrival() throws Exception {
        devices();
        publish("zigbee2mqtt/hall/button", "{\"last_seen\":1764583200123}");
        publish("zigbee2mqtt/dimmer", "{\"last_seen\":\"2026-12-01T11:30:00+01:00\"}");
        publish("zigbee2mqtt/lamp", "{\"state\":\"ON\"}");
        publish("zigbee2mqtt/0x00124b0000000009", "{\"last_seen\":\"yesterday\"}");
        MetricsText m = metrics();
        assertThat(m.value("zigbee_device_last_seen_timestamp_seconds{device=\"hall/button\"}")).isEqualTo(1764583200.123);
        assertThat(m.value("zigbee_device_last_seen_timestamp_seconds{device=\"dimmer\"}"))
                .isEqualTo((double) Instant.parse("2026-12-01T10:30:00Z").getEpochSecond());
        assertThat(m.value("zigbee_device_last_seen_timestamp_seconds{device=\"lamp\"}")).isEqualTo((double) NOW.getEpochSecond());
        assertThat(m.value("zigbee_device_last_seen_timestamp_seconds{device=\"0x00124b0000000009\"}"))
                .isEqualTo((double) NOW.getEpochSecond());
    }

    @Test
    void bridgeStateInBothFormats() throws Exception {
        assertThat(metrics().value("zigbee_bridge_online")).isEqualTo(0.0);
        publish("zigbee2mqtt/bridge/state", "{\"state\":\"online\"}");
        assertThat(metrics().value("zigbee_bridge_online")).isEqualTo(1.0);
        publish("zigbee2mqtt/bridge/state", "offline");
        assertThat(metrics().value("zigbee_bridge_online")).isEqualTo(0.0);
        publish("zigbee2mqtt/bridge/state", "online");
        assertThat(metrics().value("zigbee_bridge_online")).isEqualTo(1.0);
        publish("zigbee2mqtt/bridge/state", "{\"state\":\"maybe\"}");
        publish("zigbee2mqtt/bridge/state", "{oops");
        publish("zigbee2mqtt/bridge/state", "");
        assertThat(metrics().value("zigbee_bridge_online")).as("unchanged").isEqualTo(1.0);
        assertThat(ignored("bad_bridge_state")).isEqualTo(3.0);
    }

    @Test
    void aNewListRemovesTheSeriesOfDevicesAndActionsThatLeftAndKeepsTheCounts() throws Exception {
        devices();
        publish("zigbee2mqtt/hall/button", "{\"action\":\"single\",\"linkquality\":50}");
        publish("zigbee2mqtt/dimmer", "{\"action\":\"on\",\"linkquality\":50}");
        // The dimmer leaves; the button stays.
        publish("zigbee2mqtt/bridge/devices", Files.readString(DeviceCatalogTest.FIXTURE)
                .replace("\"friendly_name\": \"dimmer\"", "\"friendly_name\": \"kitchen_dimmer\""));
        MetricsText m = metrics();
        assertThat(m.value("zigbee_device_actions_total{action=\"single\",device=\"hall/button\"}")).isEqualTo(1.0);
        assertThat(m.family("zigbee_device_actions_total").keySet()).noneMatch(s -> s.contains("device=\"dimmer\""))
                .anyMatch(s -> s.contains("device=\"kitchen_dimmer\""));
        assertThat(m.family("zigbee_device_link_quality")).containsOnlyKeys("zigbee_device_link_quality{device=\"hall/button\"}");
        assertThat(m.family("zigbee_device_info").keySet()).hasSize(4).noneMatch(s -> s.contains("device=\"dimmer\""));
        // A bad list changes nothing.
        publish("zigbee2mqtt/bridge/devices", "[{\"nonsense\":true}]");
        publish("zigbee2mqtt/bridge/devices", "");
        assertThat(ignored("bad_device_list")).isEqualTo(2.0);
        assertThat(metrics().family("zigbee_device_info")).hasSize(4);
        assertThat(events.catalog().devices()).hasSize(4);
        // An empty list (every device removed) removes every device series.
        publish("zigbee2mqtt/bridge/devices", "[]");
        m = metrics();
        assertThat(m.family("zigbee_device_actions_total")).isEmpty();
        assertThat(m.family("zigbee_device_info")).isEmpty();
        assertThat(m.family("zigbee_device_last_seen_timestamp_seconds")).isEmpty();
        assertThat(m.value("event_bridge_devices")).isEqualTo(0.0);
    }

    @Test
    void beforeTheListEveryDeviceIsUnknown() throws Exception {
        publish("zigbee2mqtt/hall/button", "{\"action\":\"single\"}");
        assertThat(ignored("unknown_device")).isEqualTo(1.0);
        assertThat(metrics().family("zigbee_device_actions_total")).isEmpty();
    }
}
