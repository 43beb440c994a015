package io.homestack.eventbridge;

import io.homestack.bundle.test.engine.Mosquitto;
import io.homestack.bundle.test.prometheus.MetricsText;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge against Debian's Mosquitto running the bundle's own configuration and ACL, logged in as the read-only
 * user {@code bridge}; Zigbee2MQTT played by a Paho client as {@code zigbee2mqtt}. The retained device list and bridge
 * state reach a bridge that connects later; actions are counted exactly; what the list does not declare makes no
 * series; a crash and reconnect of the publisher (last will offline, then online) and a restart of the broker are
 * seen, and the bridge resubscribes by itself (the retained messages, saved by the broker, come again). /metrics is
 * scraped over HTTP and parsed strictly.
 */
class EventBridgeMosquittoIT {

    private static final String SINGLE = "zigbee_device_actions_total{action=\"single\",device=\"hall/button\"}";
    private static final String BRIDGE_TOPIC = "event_bridge_messages_ignored_total{reason=\"bridge_topic\"}";

    @TempDir
    Path dir;

    private Mosquitto.Broker broker;
    private HTTPServer server;
    private EventBridge bridge;
    private URI metrics;

    @BeforeEach
    void start() throws Exception {
        broker = BundleBroker.start(dir);
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void startBridge() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        BridgeMetrics bridgeMetrics = new BridgeMetrics(registry);
        server = HTTPServer.builder().port(0).registry(registry).buildAndStart();
        metrics = URI.create("http://127.0.0.1:" + server.getPort() + "/metrics");
        Settings settings = new Settings(broker.uri().toString(), "bridge", BundleBroker.password("bridge"),
                "event-bridge-it", "zigbee2mqtt", 0, 100);
        bridge = new EventBridge(settings, new Z2mEvents("zigbee2mqtt", 100, bridgeMetrics, Clock.systemUTC()),
                bridgeMetrics);
        bridge.start();
    }

    private MetricsText await(String sample, double value) throws Exception {
        return Scrapes.await(metrics, sample, value, context());
    }

    private Supplier<String> context() {
        return () -> "broker: " + broker.report();
    }

    @Test
    void countsDeclaredActionsOnlyAndFollowsReconnects() throws Exception {
        String devices = Files.readString(DeviceCatalogTest.FIXTURE);
        try (Z2mPublisher z2m = new Z2mPublisher(broker)) {
            z2m.publish("zigbee2mqtt/bridge/state", "{\"state\":\"online\"}", true);
            z2m.publish("zigbee2mqtt/bridge/devices", devices, true);
            z2m.publish("zigbee2mqtt/hall/button", "{\"action\":\"single\"}");
        }
        // Retained messages reach the bridge that connects after them; the action before it did not.
        startBridge();
        await("event_bridge_devices", 4);
        await("zigbee_bridge_online", 1);
        await("event_bridge_mqtt_connected", 1);
        assertThat(MetricsText.scrape(metrics).value(SINGLE)).isEqualTo(0.0);

        Z2mPublisher z2m = new Z2mPublisher(broker);
        z2m.publish("zigbee2mqtt/hall/button", "{\"action\":\"single\",\"battery\":100,\"linkquality\":87}");
        z2m.publish("zigbee2mqtt/hall/button", "{\"action\":\"single\"}");
        z2m.publish("zigbee2mqtt/hall/button", "{\"action\":\"hold\"}");
        z2m.publish("zigbee2mqtt/hall/button", "{\"action\":\"\"}");
        z2m.publish("zigbee2mqtt/hall/button", "{\"action\":\"spin\"}");
        z2m.publish("zigbee2mqtt/lamp", "{\"action\":\"single\",\"state\":\"ON\"}");
        z2m.publish("zigbee2mqtt/stranger", "{\"action\":\"single\",\"linkquality\":3}");
        z2m.publish("zigbee2mqtt/hall/button", "single");
        z2m.publish("zigbee2mqtt/hall/button/action", "single");
        z2m.publish("zigbee2mqtt/bridge/logging", "{\"level\":\"info\",\"message\":\"x\"}");
        z2m.publish("zigbee2mqtt/dimmer", "{\"action\":\"on\",\"linkquality\":77}");
        // In order on one connection at QoS 1: when the last has arrived, so have the others.
        MetricsText m = await("zigbee_device_link_quality{device=\"dimmer\"}", 77);
        assertThat(m.value(SINGLE)).isEqualTo(2.0);
        assertThat(m.value("zigbee_device_actions_total{action=\"hold\",device=\"hall/button\"}")).isEqualTo(1.0);
        assertThat(m.value("zigbee_device_actions_total{action=\"on\",device=\"dimmer\"}")).isEqualTo(1.0);
        assertThat(m.family("zigbee_device_actions_total")).as("WXKG11LM's 6 actions and E1743's 5, nothing else")
                .hasSize(11);
        assertThat(m.family("zigbee_device_actions_total").keySet()).noneMatch(s -> s.contains("spin"))
                .noneMatch(s -> s.contains("stranger")).noneMatch(s -> s.contains("device=\"lamp\""));
        assertThat(m.family("zigbee_device_link_quality")).containsOnlyKeys(
                "zigbee_device_link_quality{device=\"hall/button\"}", "zigbee_device_link_quality{device=\"dimmer\"}");
        assertThat(m.value("zigbee_device_link_quality{device=\"hall/button\"}")).isEqualTo(87.0);
        assertThat(m.family("zigbee_device_last_seen_timestamp_seconds").keySet()).containsExactlyInAnyOrder(
                "zigbee_device_last_seen_timestamp_seconds{device=\"hall/button\"}",
                "zigbee_device_last_seen_timestamp_seconds{device=\"lamp\"}",
                "zigbee_device_last_seen_timestamp_seconds{device=\"dimmer\"}");
        assertThat(m.value("zigbee_device_last_seen_timestamp_seconds{device=\"dimmer\"}"))
                .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));
        assertThat(m.value("zigbee_device_info{device=\"hall/button\",ieee_address=\"0x00158d0000000004\","
                + "model=\"WXKG11LM\",vendor=\"Aqara\"}")).isEqualTo(1.0);
        assertThat(m.value("event_bridge_messages_ignored_total{reason=\"unknown_action\"}")).as("spin, the lamp's")
                .isEqualTo(2.0);
        assertThat(m.value("event_bridge_messages_ignored_total{reason=\"unknown_device\"}")).isEqualTo(1.0);
        assertThat(m.value("event_bridge_messages_ignored_total{reason=\"not_json\"}")).isEqualTo(1.0);
        assertThat(m.value("event_bridge_messages_ignored_total{reason=\"device_subtopic\"}")).isEqualTo(1.0);
        assertThat(m.value(BRIDGE_TOPIC)).isEqualTo(1.0);
        assertThat(m.samples().keySet()).anyMatch(s -> s.startsWith("jvm_memory_used_bytes"));

        // Zigbee2MQTT crashes (its last will says offline) and comes back.
        z2m.crash();
        await("zigbee_bridge_online", 0);
        z2m = new Z2mPublisher(broker);
        z2m.publish("zigbee2mqtt/bridge/state", "{\"state\":\"online\"}", true);
        z2m.publish("zigbee2mqtt/bridge/devices", devices, true);
        z2m.publish("zigbee2mqtt/hall/button", "{\"action\":\"single\"}");
        await(SINGLE, 3);
        assertThat(MetricsText.scrape(metrics).value("zigbee_bridge_online")).isEqualTo(1.0);
        // A retained message the bridge ignores: it comes again with every subscription, so its count tells when the
        // bridge has subscribed anew after the restart below (messages published before that are lost to it).
        z2m.publish("zigbee2mqtt/bridge/info", "{\"version\":\"2.6.0\"}", true);
        await(BRIDGE_TOPIC, 2);
        z2m.close();

        // The broker restarts (SIGTERM: it saves the retained messages): the bridge reconnects by itself and
        // subscribes again.
        broker.restart();
        await(BRIDGE_TOPIC, 3);
        try (Z2mPublisher again = new Z2mPublisher(broker)) {
            again.publish("zigbee2mqtt/hall/button", "{\"action\":\"single\"}");
            again.publish("zigbee2mqtt/hall/button", "{\"action\":\"double\"}");
        }
        m = await("zigbee_device_actions_total{action=\"double\",device=\"hall/button\"}", 1);
        assertThat(m.value(SINGLE)).isEqualTo(4.0);
        assertThat(m.value("event_bridge_mqtt_connected")).isEqualTo(1.0);
        assertThat(m.value("event_bridge_devices")).isEqualTo(4.0);
    }
}
