package io.homestack.apps.homeautomation;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.seal.SecretManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered Mosquitto of both environments (k3d as built, k3s as its overlay renders): every file mosquitto.conf
 * names is mounted where it says, the ACL is the contract of issue 12, and the k3d Secrets hold a login per client
 * that the password file knows. MosquittoIT runs the same files in a real broker.
 */
class MosquittoBundleTest {

    private static final String NAMESPACE = "home-automation";
    private static final List<String> USERS = List.of("homeassistant", "zigbee2mqtt", "homebridge", "bridge", "exporter");

    /** The topic rules the other apps rely on (shared contract of issue 12; README "Mosquitto"). */
    private static final Map<String, Set<String>> CONTRACT = Map.of(
            "homeassistant", Set.of("readwrite homeassistant/#", "readwrite zigbee2mqtt/#"),
            "zigbee2mqtt", Set.of("readwrite zigbee2mqtt/#", "readwrite homeassistant/#"),
            "homebridge", Set.of("readwrite zigbee2mqtt/#"),
            "bridge", Set.of("read zigbee2mqtt/#", "read homeassistant/#"),
            "exporter", Set.of("read $SYS/#"));

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theAclIsTheContractNothingMoreAndNoAnonymousSection(String env) {
        assertThat(BundleMosquitto.aclRules(BundleMosquitto.config(env, "acl"))).isEqualTo(new TreeMap<>(CONTRACT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void authenticationIsOnAndEveryFileTheConfigurationNamesIsMountedWhereItSays(String env) {
        Map<String, String> conf = options(BundleMosquitto.config(env, "mosquitto.conf"));
        assertThat(conf).containsEntry("allow_anonymous", "false").containsEntry("persistence", "true")
                .containsEntry("listener", "1883").doesNotContainKeys("per_listener_settings", "port", "plugin");

        Map<String, Object> pod = PodSpecs.of(deployment(env));
        Map<String, Object> broker = container(pod, "mosquitto");
        assertThat(KubeObject.list(broker.get("command"))).containsExactly("/usr/sbin/mosquitto", "-c",
                BundleMosquitto.CONFIG_DIR + "/mosquitto.conf");
        assertThat(mountedFile(pod, broker, BundleMosquitto.CONFIG_DIR + "/mosquitto.conf"))
                .isEqualTo("configMap " + BundleMosquitto.configMap(env).name() + " key mosquitto.conf");
        assertThat(mountedFile(pod, broker, conf.get("acl_file")))
                .isEqualTo("configMap " + BundleMosquitto.configMap(env).name() + " key acl");
        assertThat(mountedFile(pod, broker, conf.get("password_file")))
                .isEqualTo("secret " + BundleMosquitto.PASSWORDS + " key passwd");
        assertThat(mountedFile(pod, broker, conf.get("persistence_location") + "mosquitto.db"))
                .as("persistence on the claim").isEqualTo("persistentVolumeClaim mosquitto-data key mosquitto.db");

        KubeObject claim = output(env, "PersistentVolumeClaim", "mosquitto-data");
        assertThat(claim.labels()).containsEntry("storage.homestack.io/claim", "config");
        assertThat(KubeObject.path(pod, "securityContext")).containsEntry("fsGroup", 1883)
                .as("the image's user mosquitto").containsEntry("runAsUser", 1883);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void oneBrokerWritesItsStateAtATimeAsARestrictedPod(String env) {
        KubeObject deployment = deployment(env);
        Map<String, Object> spec = KubeObject.path(deployment.body(), "spec");
        assertThat(deployment.namespace()).isEqualTo(NAMESPACE);
        assertThat(spec.get("replicas")).isEqualTo(1);
        assertThat(KubeObject.path(spec, "strategy").get("type")).isEqualTo("Recreate");

        Map<String, Object> pod = PodSpecs.of(deployment);
        assertThat(KubeObject.path(pod, "securityContext")).containsEntry("runAsNonRoot", true)
                .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
        for (Map<String, Object> c : PodSpecs.allContainers(pod)) {
            assertThat(KubeObject.map(c.get("securityContext"))).as("container %s", c.get("name"))
                    .containsEntry("allowPrivilegeEscalation", false).containsEntry("readOnlyRootFilesystem", true)
                    .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
            assertThat(KubeObject.string(c.get("image"))).as("container %s: a pinned version", c.get("name"))
                    .matches(".+:v?\\d+\\.\\d+\\.\\d+(-alpine)?");
        }
    }

    /** The address every client is given: mosquitto.home-automation.svc:1883, port name mqtt, on the broker's pod. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theServiceMosquittoCarriesMqttToTheBrokerAndMetricsToTheExporter(String env) {
        KubeObject service = output(env, "Service", "mosquitto");
        assertThat(service.namespace()).isEqualTo(NAMESPACE);
        Map<String, Object> pod = PodSpecs.of(deployment(env));
        assertThat(KubeObject.path(deployment(env).body(), "spec", "template", "metadata", "labels"))
                .containsAllEntriesOf(KubeObject.path(service.body(), "spec", "selector"));
        Map<String, Object> mqtt = servicePort(service, "mqtt");
        assertThat(mqtt).containsEntry("port", 1883).containsEntry("appProtocol", "tcp");
        assertThat(containerPort(container(pod, "mosquitto"), KubeObject.string(mqtt.get("targetPort"))))
                .as("the listener of mosquitto.conf").isEqualTo(Integer.valueOf(
                        options(BundleMosquitto.config(env, "mosquitto.conf")).get("listener")));

        Map<String, Object> monitor = KubeObject.path(output(env, "ServiceMonitor", "mosquitto").body(), "spec");
        assertThat(service.labels()).containsAllEntriesOf(KubeObject.path(monitor, "selector", "matchLabels"));
        assertThat(KubeObject.list(monitor.get("endpoints"))).extracting(e -> KubeObject.map(e).get("port"))
                .containsExactly("metrics");
        Map<String, Object> exporter = container(pod, "exporter");
        assertThat(containerPort(exporter, KubeObject.string(servicePort(service, "metrics").get("targetPort"))))
                .isEqualTo(servicePort(service, "metrics").get("port"));
        assertThat(secretRefs(exporter)).as("the exporter logs in as exporter")
                .containsEntry("MOSQUITTO_USERNAME", "mqtt-exporter/username")
                .containsEntry("MOSQUITTO_PASSWORD", "mqtt-exporter/password");
    }

    /**
     * Under the namespace's default-deny and STRICT mTLS: MQTT from the workloads of the bundle's two namespaces
     * (Homebridge has its own), plain-text GET /metrics
     * for Prometheus (outside the mesh) on the exporter port only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theMeshLetsTheNamespaceSpeakMqttAndPrometheusScrapeTheExporterOnly(String env) {
        Map<String, Object> policy = KubeObject.path(output(env, "AuthorizationPolicy", "mosquitto").body(), "spec");
        assertThat(policy.get("action")).isEqualTo("ALLOW");
        assertThat(KubeObject.path(policy, "selector", "matchLabels")).containsEntry("app.kubernetes.io/name", "mosquitto");
        List<Object> rules = KubeObject.list(policy.get("rules"));
        assertThat(rules).hasSize(2);
        assertThat(rule(rules, 0, "from", "source")).containsEntry("namespaces", List.of(NAMESPACE, "homebridge"));
        assertThat(rule(rules, 0, "to", "operation")).isEqualTo(Map.of("ports", List.of("1883")));
        assertThat(rule(rules, 1, "from", "source")).isEqualTo(Map.of("notPrincipals", List.of("*")));
        assertThat(rule(rules, 1, "to", "operation")).isEqualTo(Map.of("ports", List.of("9234"),
                "methods", List.of("GET"), "paths", List.of("/metrics")));

        Map<String, Object> peer = KubeObject.path(output(env, "PeerAuthentication", "mosquitto-metrics-plaintext")
                .body(), "spec");
        assertThat(KubeObject.path(peer, "mtls")).containsEntry("mode", "STRICT");
        assertThat(KubeObject.path(peer, "portLevelMtls")).isEqualTo(Map.of("9234", Map.of("mode", "PERMISSIVE")));
    }

    /**
     * Bad input caught before any broker runs: every client Secret's user must be in the password file (else its pod
     * is refused), and every user of the password file and of the ACL has its client Secret.
     */
    @Test
    void k3dShipsALoginPerClientThatThePasswordFileKnows() {
        String passwordFile = BundleMosquitto.passwordFile();
        assertThat(BundleMosquitto.users(passwordFile)).containsExactlyInAnyOrderElementsOf(USERS);
        assertThat(passwordFile.lines()).as("hashed (PBKDF2-SHA512, $7$), which the image's 2.1 and Debian's 2.0 read")
                .allSatisfy(l -> assertThat(l).matches("[a-z0-9]+:\\$7\\$\\d+\\$[^$]+\\$[^$]+"));
        Map<String, String> logins = BundleMosquitto.logins(USERS);
        assertThat(logins).containsOnlyKeys(USERS);
        logins.forEach((user, password) -> assertThat(password).as("k3d test value of %s", user)
                .isEqualTo(user + "-k3d-test-password"));
        assertThat(BundleMosquitto.disagreements(passwordFile, logins)).isEmpty();
        for (String user : USERS) {
            SecretManifest secret = BundleMosquitto.secret("mqtt-" + user);
            assertThat(secret.namespace()).as("beside its client").isEqualTo("homebridge".equals(user) ? "homebridge" : NAMESPACE);
            assertThat(secret.data()).containsOnlyKeys("username", "password");
        }
    }

    @Test
    void aClientMissingFromThePasswordFileIsNamedWithBothFiles() {
        assertThat(BundleMosquitto.disagreements("homeassistant:$7$101$a$b\nstray:$7$101$a$b\n",
                Map.of("homeassistant", "x", "homebridge", "y"))).containsExactlyInAnyOrder(
                "MQTT user homebridge (Secret mqtt-homebridge,"
                        + " apps/home-automation/manifests/k3d/sealedsecret-mqtt-homebridge.yaml) is missing from the"
                        + " password file: key passwd of Secret mosquitto-passwords"
                        + " (apps/home-automation/manifests/k3d/sealedsecret-mosquitto-passwords.yaml); add it with"
                        + " mosquitto_passwd and reseal (README \"Mosquitto\")",
                "MQTT user stray of the password file"
                        + " (apps/home-automation/manifests/k3d/sealedsecret-mosquitto-passwords.yaml) has no client"
                        + " Secret mqtt-stray");
    }

    private static KubeObject output(String env, String kind, String name) {
        return BundleMosquitto.renders().object(env, kind, name);
    }

    private static KubeObject deployment(String env) {
        return output(env, "Deployment", "mosquitto");
    }

    /** mosquitto.conf's options, one value each (the file sets each once). */
    private static Map<String, String> options(String conf) {
        Map<String, String> options = new TreeMap<>();
        for (String line : conf.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            String[] words = line.split("\\s+", 2);
            if (!words[0].equals("log_type")) {
                assertThat(options.put(words[0], words.length > 1 ? words[1] : "")).as("%s set twice", words[0])
                        .isNull();
            }
        }
        return options;
    }

    private static Map<String, Object> container(Map<String, Object> pod, String name) {
        return PodSpecs.containers(pod).stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    /**
     * Which volume source (and key, for a ConfigMap or Secret projected as files) serves {@code file} in the container:
     * "configMap NAME key KEY", "secret NAME key KEY", "persistentVolumeClaim NAME key FILE", or "not mounted".
     */
    private static String mountedFile(Map<String, Object> pod, Map<String, Object> container, String file) {
        for (Object m : KubeObject.list(container.get("volumeMounts"))) {
            Map<String, Object> mount = KubeObject.map(m);
            String dir = KubeObject.string(mount.get("mountPath"));
            if (!file.startsWith(dir + "/")) {
                continue;
            }
            String key = file.substring(dir.length() + 1);
            Map<String, Object> volume = KubeObject.list(pod.get("volumes")).stream().map(KubeObject::map)
                    .filter(v -> v.get("name").equals(mount.get("name"))).findFirst().orElseThrow();
            for (String kind : List.of("configMap", "secret", "persistentVolumeClaim")) {
                Map<String, Object> source = KubeObject.map(volume.get(kind));
                if (!source.isEmpty()) {
                    String name = KubeObject.string(source.getOrDefault("name",
                            source.getOrDefault("secretName", source.get("claimName"))));
                    return kind + " " + name + " key " + key;
                }
            }
        }
        return "not mounted";
    }

    private static Map<String, Object> servicePort(KubeObject service, String name) {
        return KubeObject.list(KubeObject.path(service.body(), "spec").get("ports")).stream().map(KubeObject::map)
                .filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("Service " + service.name() + " has no port " + name));
    }

    private static Object containerPort(Map<String, Object> container, String name) {
        return KubeObject.list(container.get("ports")).stream().map(KubeObject::map)
                .filter(p -> name.equals(p.get("name"))).map(p -> p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("container " + container.get("name") + " has no port " + name));
    }

    /** env name → "secret/key" of the container's secretKeyRefs. */
    private static Map<String, String> secretRefs(Map<String, Object> container) {
        Map<String, String> refs = new TreeMap<>();
        for (Object e : KubeObject.list(container.get("env"))) {
            Map<String, Object> ref = KubeObject.path(KubeObject.map(e), "valueFrom", "secretKeyRef");
            if (!ref.isEmpty()) {
                refs.put(KubeObject.string(KubeObject.map(e).get("name")), ref.get("name") + "/" + ref.get("key"));
            }
        }
        return refs;
    }

    private static Map<String, Object> rule(List<Object> rules, int index, String side, String key) {
        return KubeObject.map(KubeObject.map(KubeObject.list(KubeObject.map(rules.get(index)).get(side)).get(0))
                .get(key));
    }
}
