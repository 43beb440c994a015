package io.homestack.apps.homeautomation;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.BundleRenders;
import io.homestack.bundle.test.engine.HomeAssistant;
import io.homestack.bundle.test.engine.Mosquitto;
import io.homestack.bundle.test.envtest.ManagedProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the rendered seed-config init container here: its command and environment from the render, with the venv's
 * Python for the image's {@code python3}, its mount paths re-rooted (the ConfigMap's files in a directory, /config the
 * test's config directory), the broker's address pointed at the test broker and the Secrets' keys from the bundle's
 * k3d SealedSecrets (or values a test chooses). Nothing of the script or its settings is copied into the test.
 */
final class HomeAssistantSeed {

    static final String BROKER = "mosquitto.home-automation.svc";
    /** The k3d Secrets, from the bundle's SealedSecrets opened with the committed k3d key. */
    static final SecretValues BUNDLE_SECRETS = (secret, key) -> {
        String value = BundleMosquitto.secret(secret).stringValue(key);
        if (value == null) {
            throw new AssertionError("Secret " + secret + " (" + BundleMosquitto.sealedFile(secret) + ") has no key " + key);
        }
        return value;
    };
    static final String BROKER_PORT = "1883";

    private HomeAssistantSeed() {
    }

    /** A Secret's key's value, as the kubelet puts it into an env variable. */
    interface SecretValues {
        String value(String secret, String key);
    }

    static void seed(BundleRenders renders, String env, HomeAssistant ha, Path config, String brokerHost, int brokerPort,
                     SecretValues secrets, Path log) throws IOException {
        Map<String, Object> pod = HomeAssistantRender.podSpec(renders, env);
        Map<String, Object> init = HomeAssistantRender.seedContainer(pod);
        Path seedDir = Files.createDirectories(log.resolveSibling("seed"));
        for (Map.Entry<String, Object> file : HomeAssistantRender.configMapData(renders, env).entrySet()) {
            Files.writeString(seedDir.resolve(file.getKey()), KubeObject.string(file.getValue()));
        }
        Map<String, Path> mounts = Map.of("/seed", seedDir, "/config", config);
        assertMounts(init, mounts);

        List<String> command = new ArrayList<>();
        for (Object arg : HomeAssistantRender.command(init)) {
            command.add(reroot(KubeObject.string(arg), mounts, ha));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (Object e : KubeObject.list(init.get("env"))) {
            Map<String, Object> entry = KubeObject.map(e);
            environment.put(KubeObject.string(entry.get("name")), value(entry, secrets));
        }
        replace(environment, BROKER, brokerHost);
        replace(environment, BROKER_PORT, String.valueOf(brokerPort));

        ManagedProcess seed = ManagedProcess.start("seed-config", command, environment, log);
        int exit = seed.awaitExit(60_000);
        if (exit != 0) {
            throw new AssertionError("the seed-config init container failed: " + seed.report());
        }
    }

    /**
     * The rendered configuration.yaml, listening on 127.0.0.1:port instead of every address on 8123; nothing else
     * changes.
     */
    /** A config directory seeded for {@code broker} with the bundle's Secrets, and the port its configuration listens on. */
    record Seeded(Path config, int port) {
    }

    /**
     * {@code dir/config} as the pod has it before HA starts: seeded by the init container's script against
     * {@code broker} with the k3d Secrets (log: {@code dir/seed.log}), the rendered configuration.yaml of {@code env}
     * on a free loopback port.
     */
    static Seeded seeded(BundleRenders renders, String env, HomeAssistant ha, Mosquitto.Broker broker, Path dir)
            throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        seed(renders, env, ha, config, "127.0.0.1", broker.port(), BUNDLE_SECRETS, dir.resolve("seed.log"));
        return new Seeded(config, configurationOnAFreePort(renders, env, config));
    }

    /** Writes the rendered configuration.yaml of {@code env} into {@code config}, on a free loopback port: that port. */
    static int configurationOnAFreePort(BundleRenders renders, String env, Path config) throws IOException {
        int port = FreePorts.next();
        Files.writeString(config.resolve("configuration.yaml"), listeningOn(HomeAssistantRender.configuration(renders, env),
                port));
        return port;
    }

    static String listeningOn(String configuration, int port) {
        String line = "  server_port: 8123\n";
        if (!configuration.contains(line)) {
            throw new IllegalArgumentException("no '" + line.strip() + "' under http: in configuration.yaml (fix the test)");
        }
        return configuration.replace(line, "  server_port: " + port + "\n  server_host: 127.0.0.1\n");
    }

    private static String reroot(String arg, Map<String, Path> mounts, HomeAssistant ha) {
        if (arg.equals("python3")) {
            return ha.python().toString();
        }
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            if (arg.equals(mount.getKey()) || arg.startsWith(mount.getKey() + "/")) {
                return mount.getValue() + arg.substring(mount.getKey().length());
            }
        }
        return arg;
    }

    private static void assertMounts(Map<String, Object> init, Map<String, Path> mounts) {
        List<Object> paths = KubeObject.list(init.get("volumeMounts")).stream()
                .map(m -> KubeObject.map(m).get("mountPath")).toList();
        if (!paths.containsAll(mounts.keySet()) || paths.size() != mounts.size()) {
            throw new IllegalArgumentException("the init container mounts " + paths + ", the test knows " + mounts.keySet());
        }
    }

    private static String value(Map<String, Object> entry, SecretValues secrets) {
        if (entry.containsKey("value")) {
            return KubeObject.string(entry.get("value"));
        }
        Map<String, Object> ref = KubeObject.path(entry, "valueFrom", "secretKeyRef");
        if (ref.isEmpty()) {
            throw new IllegalArgumentException("the test knows value and secretKeyRef, not " + entry);
        }
        return secrets.value(KubeObject.string(ref.get("name")), KubeObject.string(ref.get("key")));
    }

    private static void replace(Map<String, String> environment, String from, String to) {
        List<String> keys = environment.entrySet().stream().filter(e -> e.getValue().equals(from)).map(Map.Entry::getKey)
                .toList();
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no environment variable of seed-config is " + from + " (fix the test)");
        }
        keys.forEach(k -> environment.put(k, to));
    }
}
