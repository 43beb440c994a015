package io.homestack.zigbee.simulator;

import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.engine.Mosquitto;
import io.homestack.bundle.test.image.ImageChroot;
import io.homestack.bundle.test.prometheus.MetricsText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image works without a container engine: its layers (from target/oci, what `make push` pushes) are unpacked into
 * a directory and its entrypoint runs there in a chroot, as a Pod of manifests/k3d/zigbee-simulator runs it: as the
 * image's user (65532), on a read-only root with /tmp writable, the devices file and the MQTT credentials mounted as
 * files, /proc mounted (the kit's ImageChroot). Against Debian's Mosquitto with the contract's ACL, Home Assistant's
 * side gets the bridge online, the button's timed presses and a command's new state; /metrics answers; killed (no
 * clean stop), the last will says offline. Needs root.
 */
class ImageChrootIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private ImageChroot chroot;
    private Mosquitto.Broker broker;

    @BeforeEach
    void tools() throws java.io.IOException, InterruptedException {
        ImageChroot.requireTools();
    }

    @AfterEach
    void stop() throws InterruptedException, java.io.IOException {
        if (chroot != null) {
            chroot.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theImagesEntrypointBridgesZigbeeToMosquittoInAChroot() throws Exception {
        chroot = ImageChroot.unpack(Path.of(System.getProperty("homestack.image.layout")));
        assertThat(chroot.image().user()).as("a non-root user, for restricted Pod Security").isEqualTo("65532:65532");
        // What the Deployment mounts: the devices ConfigMap and the mqtt-zigbee2mqtt Secret.
        chroot.mount("/etc/zigbee-simulator/devices.yaml", Files.readString(SimulatorMosquittoIT.DEVICES))
                .mount("/var/run/secrets/mqtt/username", "zigbee2mqtt")
                .mount("/var/run/secrets/mqtt/password", ContractBroker.password("zigbee2mqtt"));

        broker = ContractBroker.start(dir);
        int metricsPort = FreePorts.next();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MQTT_URL", broker.uri().toString());
        env.put("MQTT_USERNAME_FILE", "/var/run/secrets/mqtt/username");
        env.put("MQTT_PASSWORD_FILE", "/var/run/secrets/mqtt/password");
        env.put("DEVICES_FILE", "/etc/zigbee-simulator/devices.yaml");
        env.put("METRICS_PORT", String.valueOf(metricsPort));
        env.put("BUTTON_INTERVAL", "1"); // the Deployment's 120 s, shortened
        env.put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:-UsePerfData");
        Path log = dir.resolve("simulator.log");
        Process simulator = chroot.start(env, log);

        try (HomeAssistantClient ha = new HomeAssistantClient(broker)) {
            try {
                ha.await("zigbee2mqtt/bridge/state", "{\"state\":\"online\"}"::equals, WAIT);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nsimulator (alive: " + simulator.isAlive() + "):\n"
                        + Files.readString(log), e);
            }
            ha.await("homeassistant/switch/0x0017880100000002/switch/config", p -> p.contains("zigbee2mqtt/kitchen_plug/set"), WAIT);
            // The button presses by itself, its actions in order.
            ha.await("zigbee2mqtt/hallway_button", p -> p.startsWith("{\"action\":\"single\""), WAIT);
            ha.await("zigbee2mqtt/hallway_button", p -> p.startsWith("{\"action\":\"double\""), WAIT);
            ha.publish("zigbee2mqtt/kitchen_plug/set", "{\"state\":\"ON\"}");
            ha.await("zigbee2mqtt/kitchen_plug", p -> p.contains("\"state\":\"ON\""), WAIT);

            MetricsText metrics = MetricsText.scrape(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"));
            assertThat(metrics.value("zigbee_simulator_commands_total{device=\"kitchen_plug\",result=\"applied\"}"))
                    .isEqualTo(1.0);

            ha.clear();
            simulator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            ha.await("zigbee2mqtt/bridge/state", "{\"state\":\"offline\"}"::equals, WAIT);
        }
        assertThat(Files.readString(log)).as("the log of a run that was killed, not failed")
                .contains("simulating 4 devices").doesNotContain("Exception");
    }
}
