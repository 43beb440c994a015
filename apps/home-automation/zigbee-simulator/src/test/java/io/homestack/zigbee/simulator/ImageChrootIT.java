package io.homestack.zigbee.simulator;

import io.homestack.bundle.test.engine.Mosquitto;
import io.homestack.testsupport.TestTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image works without a container engine: its layers (from target/oci, what `make push` pushes) are unpacked into
 * a directory and its entrypoint runs there in a chroot, as a Pod of manifests/k3d/zigbee-simulator runs it: as the
 * image's user (65532), on a read-only root with /tmp writable, the devices file and the MQTT credentials mounted as
 * files, /proc mounted. Against Debian's Mosquitto with the contract's ACL, Home Assistant's side gets the bridge
 * online and a command's new state; /metrics answers; killed (no clean stop), the last will says offline.
 * A private mount namespace (unshare) holds the mounts, so nothing outlives the test. Needs root.
 */
class ImageChrootIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Not under @TempDir: JUnit's cleanup warns about each of the JRE's absolute links (conf/ to /etc/java-17-openjdk). */
    private Path rootfs;
    private Mosquitto.Broker broker;
    private Process simulator;

    @BeforeEach
    void tools() throws java.io.IOException, InterruptedException {
        if (!"root".equals(ProcessHandle.current().info().user().orElse(""))) {
            throw TestTools.missing("ImageChrootIT runs the image in a chroot, which needs root");
        }
        for (String tool : List.of("unshare", "chroot", "mount", "tar", "env")) {
            if (Stream.of(System.getenv("PATH").split(":")).noneMatch(d -> Files.isExecutable(Path.of(d, tool)))) {
                throw TestTools.missing(tool + " not found on the PATH (util-linux, coreutils, tar)");
            }
        }
        // Root in an unprivileged container may not make mount namespaces (seccomp, no CAP_SYS_ADMIN).
        if (exitCode("unshare", "--mount", "true") != 0) {
            throw TestTools.missing("`unshare --mount true` fails here: ImageChrootIT needs root with CAP_SYS_ADMIN"
                    + " (a machine, or a privileged container)");
        }
    }

    private static int exitCode(String... command) throws java.io.IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @AfterEach
    void stop() throws InterruptedException, java.io.IOException {
        if (simulator != null && simulator.isAlive()) {
            simulator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.close();
        }
        if (rootfs != null) {
            new ProcessBuilder("rm", "-rf", "--one-file-system", rootfs.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void theImagesEntrypointBridgesZigbeeToMosquittoInAChroot() throws Exception {
        Path layout = Path.of(System.getProperty("homestack.image.layout"));
        rootfs = Files.createTempDirectory(layout.getParent(), "rootfs-");
        ImageRootfs image = ImageRootfs.unpack(layout, rootfs);
        assertThat(image.user()).as("a non-root user, for restricted Pod Security").isEqualTo("65532:65532");
        Path root = image.root();
        // What the Deployment mounts: the devices ConfigMap and the mqtt-zigbee2mqtt Secret.
        Files.createDirectories(root.resolve("etc/zigbee-simulator"));
        Files.copy(SimulatorMosquittoIT.DEVICES, root.resolve("etc/zigbee-simulator/devices.yaml"));
        Files.createDirectories(root.resolve("var/run/secrets/mqtt"));
        Files.writeString(root.resolve("var/run/secrets/mqtt/username"), "zigbee2mqtt");
        Files.writeString(root.resolve("var/run/secrets/mqtt/password"), ContractBroker.password("zigbee2mqtt"));

        broker = ContractBroker.start(dir);
        int metricsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            metricsPort = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--", "sh", "-c",
                "set -e; r=$1; shift; mount --bind \"$r\" \"$r\"; mount -o remount,bind,ro \"$r\";"
                        + " mount -t proc proc \"$r/proc\"; mount -t tmpfs -o size=16m,mode=1777 tmpfs \"$r/tmp\";"
                        + " exec \"$@\"", "sh", root.toString(), "env", "-i"));
        command.addAll(image.env());
        command.addAll(List.of("MQTT_URL=" + broker.uri(), "MQTT_USERNAME_FILE=/var/run/secrets/mqtt/username",
                "MQTT_PASSWORD_FILE=/var/run/secrets/mqtt/password", "DEVICES_FILE=/etc/zigbee-simulator/devices.yaml",
                "METRICS_PORT=" + metricsPort, "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75 -XX:-UsePerfData",
                "chroot", "--userspec=" + image.user(), root.toString()));
        command.addAll(image.entrypoint());
        Path log = dir.resolve("simulator.log");
        simulator = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        try (HomeAssistantClient ha = new HomeAssistantClient(broker)) {
            try {
                ha.await("zigbee2mqtt/bridge/state", "{\"state\":\"online\"}"::equals, WAIT);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nsimulator (alive: " + simulator.isAlive() + "):\n"
                        + Files.readString(log), e);
            }
            ha.await("homeassistant/switch/0x0017880100000002/switch/config", p -> p.contains("zigbee2mqtt/kitchen_plug/set"), WAIT);
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
                .contains("simulating 3 devices").doesNotContain("Exception");
    }
}
