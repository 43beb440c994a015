package io.homestack.apps.homeautomation;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.seal.SecretManifest;
import io.homestack.bundle.seal.Unsealer;
import io.homestack.bundle.test.BundleRenders;
import io.homestack.bundle.test.engine.Mosquitto;
import io.homestack.testsupport.TestDirectories;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The broker as the k3d bundle ships it: mosquitto.conf and the ACL from the rendered ConfigMap mosquitto-config, the
 * password file and the clients' logins from the SealedSecrets, opened with the committed k3d test key. Starts Debian's
 * mosquitto with them (kit engine {@link Mosquitto}), the files at the paths the Deployment mounts them, and logs the
 * clients in as their pods would (for the other apps' tests too: {@link #connect}).
 */
final class BundleMosquitto {

    static final String ENV = "k3d";
    static final String CONFIG_MAP = "mosquitto-config";
    static final String PASSWORDS = "mosquitto-passwords";
    /** Where deployment.yaml mounts the ConfigMap and the password Secret. */
    static final String CONFIG_DIR = "/mosquitto/config";
    static final String PASSWORDS_DIR = "/mosquitto/passwords";

    private static final BundleRenders RENDERS = BundleRenders.ofModule();
    private static final Path K3D_KEY = RENDERS.bundleDir().resolve(
            "../../clusters/k3d/sealed-secrets/sealed-secrets-k3d.key").normalize();

    private BundleMosquitto() {
    }

    static BundleRenders renders() {
        return RENDERS;
    }

    /** The ConfigMap mosquitto-config of {@code env} (its name carries kustomize's content hash). */
    static KubeObject configMap(String env) {
        List<KubeObject> found = RENDERS.objects(env, "ConfigMap").stream()
                .filter(o -> o.name().startsWith(CONFIG_MAP + "-")).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " ConfigMaps " + CONFIG_MAP + "-<hash> in " + env);
        }
        return found.get(0);
    }

    /** A key of the ConfigMap: {@code mosquitto.conf} or {@code acl}. */
    static String config(String env, String key) {
        Object value = KubeObject.path(configMap(env).body(), "data").get(key);
        if (value == null) {
            throw new AssertionError("ConfigMap " + configMap(env).name() + " has no key " + key);
        }
        return KubeObject.string(value);
    }

    /** The k3d SealedSecret {@code name}, opened with the committed k3d key. */
    static SecretManifest secret(String name) {
        return Unsealer.load(K3D_KEY).unseal(RENDERS.object(ENV, "SealedSecret", name).body(), sealedFile(name));
    }

    /** Where the k3d SealedSecret {@code name} is kept, for messages. */
    static String sealedFile(String name) {
        return "apps/home-automation/manifests/k3d/sealedsecret-" + name + ".yaml";
    }

    /** The Secret mosquitto-passwords' {@code passwd}: the broker's password file. */
    static String passwordFile() {
        String passwd = secret(PASSWORDS).stringValue("passwd");
        if (passwd == null) {
            throw new AssertionError("Secret " + PASSWORDS + " (" + sealedFile(PASSWORDS) + ") has no key passwd");
        }
        return passwd;
    }

    /** The users of a password file, in its order. */
    static List<String> users(String passwordFile) {
        return passwordFile.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.substring(0, Math.max(0, l.indexOf(':')))).toList();
    }

    /**
     * The ACL's rules per user: user → {"read zigbee2mqtt/#", "readwrite homeassistant/#", ...} ({@code topic X} alone
     * is readwrite, as mosquitto reads it).
     */
    static Map<String, Set<String>> aclRules(String acl) {
        Map<String, Set<String>> rules = new TreeMap<>();
        String user = null;
        for (String line : acl.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+", 3);
            if (words[0].equals("user")) {
                user = line.substring("user".length()).strip();
                rules.putIfAbsent(user, new TreeSet<>());
            } else if (words[0].equals("topic")) {
                String rule = words.length == 3 ? words[1] + " " + words[2] : "readwrite " + words[1];
                rules.computeIfAbsent(user == null ? "(anonymous)" : user, u -> new TreeSet<>()).add(rule);
            } else {
                rules.computeIfAbsent(user == null ? "(anonymous)" : user, u -> new TreeSet<>()).add(line);
            }
        }
        return rules;
    }

    /** Login per MQTT user from its Secret mqtt-{@code user} (keys username, password). */
    static Map<String, String> logins(Iterable<String> users) {
        Map<String, String> logins = new LinkedHashMap<>();
        for (String user : users) {
            SecretManifest secret = secret("mqtt-" + user);
            logins.put(secret.stringValue("username"), secret.stringValue("password"));
        }
        return logins;
    }

    /**
     * What disagrees between the password file and the clients' Secrets, one line per problem naming the files and the
     * user: a client Secret whose user is not in the password file (its pod could never log in), a user without Secret.
     */
    static List<String> disagreements(String passwordFile, Map<String, String> logins) {
        List<String> problems = new ArrayList<>();
        for (String user : logins.keySet()) {
            missingFromPasswordFile(passwordFile, user).ifPresent(problems::add);
        }
        for (String user : users(passwordFile)) {
            if (!logins.containsKey(user)) {
                problems.add("MQTT user " + user + " of the password file (" + sealedFile(PASSWORDS)
                        + ") has no client Secret mqtt-" + user);
            }
        }
        return problems;
    }

    private static Optional<String> missingFromPasswordFile(String passwordFile, String user) {
        if (users(passwordFile).contains(user)) {
            return Optional.empty();
        }
        return Optional.of("MQTT user " + user + " (Secret mqtt-" + user + ", " + sealedFile("mqtt-" + user)
                + ") is missing from the password file: key passwd of Secret " + PASSWORDS + " ("
                + sealedFile(PASSWORDS) + "); add it with mosquitto_passwd and reseal (README \"Mosquitto\")");
    }

    /**
     * Logs {@code user} in with {@code password} (from its Secret) against a broker running {@code passwordFile}; a
     * refusal fails naming the user, the files and the likely cause, with the CONNACK code and the broker's log.
     */
    static MqttClient login(Mosquitto.Broker broker, String user, String password, String passwordFile) {
        try {
            return connect(broker, user, password);
        } catch (MqttException e) {
            String cause = missingFromPasswordFile(passwordFile, user).orElse("the password of Secret mqtt-" + user
                    + " (" + sealedFile("mqtt-" + user) + ") does not match user " + user + "'s hash in the password"
                    + " file (" + sealedFile(PASSWORDS) + ")");
            throw new AssertionError("MQTT user " + user + " refused by the broker (CONNACK " + e.getReasonCode()
                    + ", " + e.getMessage() + "): " + cause + ". Broker log: " + broker.log(), e);
        }
    }

    /** An empty directory target/{@code suite}/{@code test} of the module: what a test run leaves for inspection. */
    static Path runDir(String suite, String test) throws IOException {
        return TestDirectories.empty(RENDERS.bundleDir().resolve("target").resolve(suite).resolve(test));
    }

    /** Starts the broker with the rendered configuration and ACL and the given password file, in {@code dir}. */
    static Mosquitto.Broker start(String passwordFile, Path dir) {
        return Mosquitto.locate().start(config(ENV, "mosquitto.conf"), Map.of(
                CONFIG_DIR + "/acl", config(ENV, "acl"),
                PASSWORDS_DIR + "/passwd", passwordFile), dir);
    }

    /** Starts the broker as the k3d bundle ships it. */
    static Mosquitto.Broker start(Path dir) {
        return start(passwordFile(), dir);
    }

    /**
     * Logs in as {@code user} (null: anonymous) with MQTT 3.1.1, as the clients do; a refusal is thrown as Paho's
     * exception (its reason code is the CONNACK's).
     */
    static MqttClient connect(Mosquitto.Broker broker, String user, String password) throws MqttException {
        MqttClient client = new MqttClient(broker.uri().toString(), (user == null ? "anonymous" : user) + "-"
                + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        try {
            client.connect(options);
            return client;
        } catch (MqttException e) {
            client.close();
            throw e;
        }
    }
}
