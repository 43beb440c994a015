package io.homestack.apps.homeautomation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.net.FreePorts;
import io.homestack.testsupport.SkipsCounted;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.homestack.apps.homeautomation.HomeAutomationRenders.container;
import static io.homestack.apps.homeautomation.HomeAutomationRenders.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Homebridge (the npm package, pinned in src/test/engines; the image's exact Homebridge version cannot be read
 * here, README "Homebridge") started on the config.json the k3d pod would get: the init container's own script fills
 * the template with the setup code the k3d SealedSecret opens to, then Homebridge publishes its bridge and answers
 * HomeKit's protocol on the HAP port. Two deviations from the pod, both to keep the test on this machine: mDNS and the
 * HAP server bound to the loopback interface only ({@code bridge.bind}), and a free port instead of 51826.
 */
@ExtendWith(SkipsCounted.class)
class HomebridgeEngineTest {

    private static final Pattern RUNNING = Pattern.compile("is running on port (\\d+)");

    static HomeAutomationEngines engines;

    @BeforeAll
    static void engines() {
        engines = HomeAutomationEngines.require();
    }

    @Test
    void theRenderedConfigStartsTheBridgeAndItSpeaksHap(@TempDir Path dir) throws Exception {
        Path storage = Files.createDirectories(dir.resolve("homebridge"));
        InitResult init = runInitContainer(dir, storage, HomebridgeBundleTest.k3dPin());
        assertThat(init.exit).as("init container: %s", init.output).isZero();
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(storage.resolve("config.json").toFile());
        assertThat(config.path("bridge").path("pin").asText()).isEqualTo(HomebridgeBundleTest.k3dPin());

        int port = FreePorts.next();
        ObjectNode bridge = (ObjectNode) config.get("bridge");
        bridge.put("port", port);
        bridge.putArray("bind").add("lo");
        Files.writeString(storage.resolve("config.json"), config.toPrettyString());

        Process homebridge = new ProcessBuilder(engines.node().toString(), engines.homebridgeCli().toString(),
                "-U", storage.toString(), "-C").redirectErrorStream(true).start();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try {
            Matcher running = awaitLine(homebridge, log, RUNNING, 90);
            assertThat(running).as("Homebridge's log: %s", log).isNotNull();
            assertThat(Integer.parseInt(running.group(1))).isEqualTo(port);
            assertThat(String.join("\n", log)).contains("(" + config.path("bridge").path("name").asText() + ")");
            // HAP: an unpaired controller asking for the accessories is told to pair first (470), in HTTP.
            assertThat(hapStatusLine(port)).startsWith("HTTP/1.1 470");
        } finally {
            homebridge.descendants().forEach(ProcessHandle::destroy);
            homebridge.destroy();
            homebridge.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSetupCodeThatIsNotOneIsRefusedBeforeAnyConfigIsWritten(@TempDir Path dir) throws Exception {
        Path storage = Files.createDirectories(dir.resolve("homebridge"));
        InitResult init = runInitContainer(dir, storage, "1234-5678");

        assertThat(init.exit).isNotZero();
        assertThat(init.output).contains("Secret homebridge-bridge, key pin: not a HomeKit setup code (###-##-###)");
        try (var files = Files.list(storage)) {
            assertThat(files).as("nothing half-written").isEmpty();
        }
    }

    @Test
    void homebridgeRefusesAnInvalidBridgeIdentityWithItsOwnMessage(@TempDir Path dir) throws Exception {
        Path storage = Files.createDirectories(dir.resolve("homebridge"));
        assertThat(runInitContainer(dir, storage, "031-45-154").exit).isZero();
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(storage.resolve("config.json").toFile());
        ((ObjectNode) config.get("bridge")).put("username", "0E:4A:7C:19:B2");
        ((ObjectNode) config.get("bridge")).putArray("bind").add("lo");
        Files.writeString(storage.resolve("config.json"), config.toPrettyString());

        Process homebridge = new ProcessBuilder(engines.node().toString(), engines.homebridgeCli().toString(),
                "-U", storage.toString(), "-C").redirectErrorStream(true).start();
        String output = new String(homebridge.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(homebridge.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(homebridge.exitValue()).isNotZero();
        assertThat(output).contains("Not a valid username: 0E:4A:7C:19:B2");
    }

    private record InitResult(int exit, String output) {
    }

    /** The init container's command, as rendered, with its paths pointed into {@code dir}. */
    private static InitResult runInitContainer(Path dir, Path storage, String pin) throws Exception {
        Map<String, Object> pod = podSpec("k3d", "homebridge");
        Map<String, Object> init = container(pod, "config");
        List<String> command = KubeObject.list(init.get("command")).stream().map(Object::toString).toList();
        Path template = dir.resolve("config-template.json");
        Files.writeString(template, KubeObject.string(KubeObject.path(HomeAutomationRenders.configMapOfVolume("k3d", pod,
                "config").body(), "data").get("config.json")));
        ProcessBuilder run = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = run.environment();
        for (Object e : KubeObject.list(init.get("env"))) {
            Map<String, Object> variable = KubeObject.map(e);
            if (variable.containsKey("value")) {
                env.put(variable.get("name").toString(), variable.get("value").toString());
            }
        }
        assertThat(env).containsEntry("CONFIG_TEMPLATE", "/config/config.json")
                .containsEntry("HOMEBRIDGE_STORAGE", "/homebridge");
        env.put("CONFIG_TEMPLATE", template.toString());
        env.put("HOMEBRIDGE_STORAGE", storage.toString());
        env.put("HOMEBRIDGE_PIN", pin);
        Process process = run.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new InitResult(process.exitValue(), output);
    }

    private static Matcher awaitLine(Process process, List<String> log, Pattern pattern, int seconds) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Matcher[] found = new Matcher[1];
        Thread pump = new Thread(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    String plain = line.replaceAll("\u001B\\[[0-9;]*m", "");
                    log.add(plain);
                    Matcher m = pattern.matcher(plain);
                    if (found[0] == null && m.find()) {
                        synchronized (found) {
                            found[0] = m;
                            found.notifyAll();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "homebridge-log");
        pump.setDaemon(true);
        pump.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (found) {
            while (found[0] == null && process.isAlive() && System.nanoTime() < deadline) {
                found.wait(200);
            }
        }
        return found[0];
    }

    private static String hapStatusLine(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /accessories HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

}
