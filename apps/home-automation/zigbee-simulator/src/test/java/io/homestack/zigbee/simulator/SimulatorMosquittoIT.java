package io.homestack.zigbee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator against Debian's Mosquitto with authentication and the contract's ACL, Home Assistant's MQTT side
 * played by a Paho client as user homeassistant: what Home Assistant needs to create entities arrives, a command
 * reaches the device and its new state comes back, and the metrics endpoint says so, scraped over HTTP and parsed.
 */
class SimulatorMosquittoIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path DEVICES = Path.of("../manifests/k3d/zigbee-simulator/devices.yaml");

    @TempDir
    Path dir;

    private Mosquitto.Broker broker;
    private HTTPServer server;
    private Z2mSimulator simulator;

    @BeforeEach
    void start() throws Exception {
        broker = ContractBroker.start(dir);
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        SimulatorMetrics metrics = new SimulatorMetrics(registry);
        server = HTTPServer.builder().port(0).registry(registry).buildAndStart();
        Settings settings = new Settings(broker.uri().toString(), "zigbee2mqtt", ContractBroker.password("zigbee2mqtt"),
                "zigbee2mqtt-it", DEVICES, 0, new Topics("zigbee2mqtt", "homeassistant"), 1, 0);
        simulator = new Z2mSimulator(settings, DevicesFile.read(DEVICES), metrics);
        simulator.start();
    }

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Every discovery config the simulator publishes for the k3d devices file (11: light 2, plug 2, sensor 4, button 3). */
    private static java.util.List<HomeAssistantDiscovery.Config> discovery() {
        DevicesFile network = DevicesFile.read(DEVICES);
        return network.devices().stream().flatMap(d -> HomeAssistantDiscovery.configs(d, network,
                new Topics("zigbee2mqtt", "homeassistant")).stream()).toList();
    }

    private static java.util.List<String> discoveryTopics() {
        return discovery().stream().map(HomeAssistantDiscovery.Config::topic).toList();
    }

    @Test
    void homeAssistantDiscoversTheDevicesCommandsOneAndSeesItsNewState() throws Exception {
        try (HomeAssistantClient ha = new HomeAssistantClient(broker)) {
            HomeAssistantClient.Message online = ha.await("zigbee2mqtt/bridge/state", "{\"state\":\"online\"}"::equals, WAIT);
            assertThat(online.retained()).as("a client connecting later still sees the bridge online").isTrue();
            JsonNode devices = JSON.readTree(ha.await("zigbee2mqtt/bridge/devices", p -> true, WAIT).payload());
            assertThat(devices.findValuesAsText("friendly_name"))
                    .containsExactly("Coordinator", "living_room_light", "kitchen_plug", "bedroom_climate", "hallway_button");
            for (HomeAssistantDiscovery.Config config : discovery()) {
                assertThat(ha.await(config.topic(), config.payload()::equals, WAIT).retained())
                        .as(config.topic() + " retained, as Home Assistant needs after its restarts").isTrue();
            }
            // Device states are not retained (as in Zigbee2MQTT): those of the connect went by before this client.
            ha.publish("zigbee2mqtt/living_room_light/set", "{\"state\":\"ON\",\"brightness\":128}");
            JsonNode light = JSON.readTree(ha.await("zigbee2mqtt/living_room_light",
                    p -> p.contains("\"state\":\"ON\""), WAIT).payload());
            assertThat(light.path("brightness").asInt()).isEqualTo(128);
            ha.publish("zigbee2mqtt/kitchen_plug/set", "TOGGLE");
            ha.await("zigbee2mqtt/kitchen_plug", p -> p.contains("\"state\":\"ON\""), WAIT);
            ha.publish("zigbee2mqtt/kitchen_plug/set", "{\"brightness\":3}");
            ha.publish("zigbee2mqtt/no_such_device/set", "ON");
            // A button is pressed on command (a simulator-only /set): the action is published once, with the state.
            ha.publish("zigbee2mqtt/hallway_button/set", "{\"action\":\"double\"}");
            assertThat(ha.await("zigbee2mqtt/hallway_button", p -> p.contains("\"action\""), WAIT).payload())
                    .isEqualTo("{\"action\":\"double\",\"battery\":100,\"voltage\":3005,\"linkquality\":90}");
            // As Zigbee2MQTT 2.x: the first press of an action announces its device trigger (retained), and every
            // press repeats the action as a plain value on <name>/action, where the trigger fires.
            HomeAssistantDiscovery.Config trigger = HomeAssistantDiscovery.deviceTrigger(DevicesFile.read(DEVICES)
                    .devices().get(3), DevicesFile.read(DEVICES), new Topics("zigbee2mqtt", "homeassistant"), "double");
            ha.await(trigger.topic(), trigger.payload()::equals, WAIT);
            ha.await("zigbee2mqtt/hallway_button/action", "double"::equals, WAIT);
            try (HomeAssistantClient later = new HomeAssistantClient(broker)) {
                assertThat(later.await(trigger.topic(), trigger.payload()::equals, WAIT).retained())
                        .as("the trigger is retained: a Home Assistant started later still gets it").isTrue();
            }
            ha.publish("zigbee2mqtt/hallway_button/set", "{\"action\":\"double\"}");
            ha.await("zigbee2mqtt/hallway_button/action", "double"::equals, WAIT);
            ha.publish("zigbee2mqtt/hallway_button/set", "{\"action\":\"spin\"}");
            // A sensor reports by itself (every second here).
            ha.await("zigbee2mqtt/bedroom_climate", p -> !p.contains("\"temperature\":21.5"), WAIT);

            // Home Assistant's birth message makes the bridge send discovery again, as after an HA restart.
            ha.clear();
            ha.publish("homeassistant/status", "online");
            for (String config : discoveryTopics()) {
                ha.await(config, p -> true, WAIT);
            }

            // The simulator counts a message once its publish returned, which may be after the client here got it.
            MetricsText metrics = scrapeUntil("zigbee_simulator_messages_published_total{kind=\"discovery\"}",
                    2.0 * discovery().size() + 1);
            assertThat(metrics.value("zigbee_simulator_devices")).isEqualTo(4.0);
            assertThat(metrics.family("zigbee_simulator_actions_total"))
                    .containsExactly(java.util.Map.entry("zigbee_simulator_actions_total{action=\"double\",device=\"hallway_button\"}", 2.0));
            assertThat(metrics.value("zigbee_simulator_commands_total{device=\"hallway_button\",result=\"rejected\"}"))
                    .as("an action the button does not have").isEqualTo(1.0);
            assertThat(metrics.value("zigbee_simulator_mqtt_connected")).isEqualTo(1.0);
            assertThat(metrics.value("zigbee_simulator_commands_total{device=\"living_room_light\",result=\"applied\"}"))
                    .isEqualTo(1.0);
            assertThat(metrics.value("zigbee_simulator_commands_total{device=\"kitchen_plug\",result=\"rejected\"}"))
                    .as("a brightness for a plug").isEqualTo(1.0);
            assertThat(metrics.value("zigbee_simulator_commands_total{device=\"no_such_device\",result=\"rejected\"}"))
                    .isEqualTo(1.0);
            assertThat(metrics.value("zigbee_simulator_device_state{device=\"living_room_light\",property=\"brightness\"}"))
                    .isEqualTo(128.0);
            assertThat(metrics.value("zigbee_simulator_device_state{device=\"kitchen_plug\",property=\"state\"}"))
                    .isEqualTo(1.0);
            assertThat(metrics.value("zigbee_simulator_messages_published_total{kind=\"discovery\"}"))
                    .as("each config at connect and again for homeassistant/status, the trigger once")
                    .isEqualTo(2.0 * discovery().size() + 1);
            assertThat(metrics.samples().keySet()).anyMatch(s -> s.startsWith("jvm_memory_used_bytes"));
            // What the Deployment's probes ask.
            assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getPort() + "/-/healthy")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

            ha.clear();
            simulator.close();
            assertThat(ha.await("zigbee2mqtt/bridge/state", "{\"state\":\"offline\"}"::equals, WAIT).payload())
                    .as("a clean stop says offline, so Home Assistant marks the entities unavailable").isNotNull();
        }
    }

    /** Scrapes /metrics until {@code sample} has {@code value} (or {@link #WAIT} passed): the scrape after that one. */
    private MetricsText scrapeUntil(String sample, double value) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getPort() + "/metrics");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!java.util.Objects.equals(MetricsText.scrape(uri).value(sample), value) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return MetricsText.scrape(uri);
    }
}
