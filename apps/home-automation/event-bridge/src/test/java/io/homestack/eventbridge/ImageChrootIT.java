package io.homestack.eventbridge;

import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.engine.Mosquitto;
import io.homestack.bundle.test.image.ImageChroot;
import io.homestack.bundle.test.prometheus.MetricsText;
import io.homestack.zigbee.simulator.DevicesFile;
import io.homestack.zigbee.simulator.SimulatorMetrics;
import io.homestack.zigbee.simulator.Topics;
import io.homestack.zigbee.simulator.Z2mSimulator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image works without a container engine: its layers (target/oci, what `make push` pushes) unpacked and its
 * entrypoint run in a chroot as a Pod of manifests/k3d/event-bridge runs it (the image's user 65532, read-only root,
 * /tmp writable, the mqtt-bridge Secret mounted as files; the kit's ImageChroot). A bad setting exits 2 naming it.
 * Against Debian's Mosquitto with the bundle's configuration and ACL, and the k3d simulator itself (its devices file,
 * the hallway button pressed by Home Assistant's user through the simulator's /set), the bridge counts each press
 * once; SIGTERM stops it cleanly. Needs root.
 */
class ImageChrootIT {

    private static final Path K3D_DEVICES = DeviceCatalogTest.K3D_DEVICES;

    @TempDir
    Path dir;

    private ImageChroot chroot;
    private Mosquitto.Broker broker;
    private Z2mSimulator simulator;

    @BeforeEach
    void tools() throws java.io.IOException, InterruptedException {
        ImageChroot.requireTools();
    }

    @AfterEach
    void stop() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (chroot != null) {
            chroot.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theImagesEntrypointCountsTheSimulatedButtonsPresses() throws Exception {
        chroot = ImageChroot.unpack(Path.of(System.getProperty("homestack.image.layout")));
        assertThat(chroot.image().user()).as("a non-root user, for restricted Pod Security").isEqualTo("65532:65532");
        // What the Deployment mounts: the mqtt-bridge Secret.
        chroot.mount("/var/run/secrets/mqtt/username", "bridge")
                .mount("/var/run/secrets/mqtt/password", BundleBroker.password("bridge"));

        Path badLog = dir.resolve("bad.log");
        Process bad = chroot.start(Map.of("MQTT_USERNAME_FILE", "/var/run/secrets/mqtt/username",
                "MQTT_PASSWORD_FILE", "/var/run/secrets/mqtt/nothing"), badLog);
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(2);
        assertThat(Files.readString(badLog)).contains("event-bridge: MQTT_PASSWORD_FILE=/var/run/secrets/mqtt/nothing:"
                + " cannot read it");

        broker = BundleBroker.start(dir);
        int metricsPort = FreePorts.next();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MQTT_URL", broker.uri().toString());
        env.put("MQTT_USERNAME_FILE", "/var/run/secrets/mqtt/username");
        env.put("MQTT_PASSWORD_FILE", "/var/run/secrets/mqtt/password");
        env.put("METRICS_PORT", String.valueOf(metricsPort));
        env.put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:-UsePerfData");
        Path log = dir.resolve("bridge.log");
        Process bridge = chroot.start(env, log);
        URI metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        java.util.function.Supplier<String> context = () -> {
            try {
                return "bridge (alive: " + bridge.isAlive() + "):\n" + Files.readString(log) + "\nbroker: " + broker.report();
            } catch (java.io.IOException e) {
                return e.toString();
            }
        };
        Scrapes.await(metrics, "event_bridge_mqtt_connected", 1, context);

        // The k3d simulator, its devices file as the ConfigMap has it; no timed presses, only asked ones.
        simulator = new Z2mSimulator(new io.homestack.zigbee.simulator.Settings(broker.uri().toString(), "zigbee2mqtt",
                BundleBroker.password("zigbee2mqtt"), "zigbee2mqtt-it", K3D_DEVICES, 0,
                new Topics("zigbee2mqtt", "homeassistant"), 60, 0), DevicesFile.read(K3D_DEVICES),
                new SimulatorMetrics(new PrometheusRegistry()));
        simulator.start();
        Scrapes.await(metrics, "event_bridge_devices", 4, context);
        Scrapes.await(metrics, "zigbee_bridge_online", 1, context);

        MqttClient homeAssistant = new MqttClient(broker.uri().toString(), "homeassistant-it", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("homeassistant");
        options.setPassword(BundleBroker.password("homeassistant").toCharArray());
        homeAssistant.connect(options);
        for (String action : new String[] {"single", "single", "hold", "release", "spin"}) {
            homeAssistant.publish("zigbee2mqtt/hallway_button/set",
                    ("{\"action\":\"" + action + "\"}").getBytes(StandardCharsets.UTF_8), 1, false);
        }
        homeAssistant.disconnect();
        homeAssistant.close();
        MetricsText m = Scrapes.await(metrics,
                "zigbee_device_actions_total{action=\"release\",device=\"hallway_button\"}", 1, context);
        assertThat(m.value("zigbee_device_actions_total{action=\"single\",device=\"hallway_button\"}")).isEqualTo(2.0);
        assertThat(m.value("zigbee_device_actions_total{action=\"hold\",device=\"hallway_button\"}")).isEqualTo(1.0);
        assertThat(m.family("zigbee_device_actions_total")).as("the button's 6 actions; the simulator refused spin")
                .hasSize(6);
        assertThat(m.value("zigbee_device_link_quality{device=\"hallway_button\"}")).isEqualTo(90.0);
        assertThat(m.value("zigbee_device_info{device=\"hallway_button\",ieee_address=\"0x00158d0000000004\","
                + "model=\"WXKG11LM\",vendor=\"Aqara\"}")).isEqualTo(1.0);
        assertThat(m.family("zigbee_device_info")).hasSize(4);
        assertThat(m.value("event_bridge_messages_ignored_total{reason=\"unknown_action\"}")).isEqualTo(0.0);
        assertThat(m.samples().keySet()).anyMatch(s -> s.startsWith("jvm_memory_used_bytes"));

        // SIGTERM, as the kubelet stops a Pod: the shutdown hook disconnects and the JVM exits (143).
        bridge.destroy();
        assertThat(bridge.waitFor(30, TimeUnit.SECONDS)).as(context.get()).isTrue();
        assertThat(bridge.exitValue()).isEqualTo(143);
        assertThat(Files.readString(log)).as("a clean run and stop").contains("subscribed to zigbee2mqtt/#")
                .contains("stopping").doesNotContain("Exception");
    }
}
