package io.homestack.apps.homeautomation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.test.BundleRenders;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event-to-metric bridge on k3d (manifests/k3d/event-bridge): the image this build made, pinned by digest and pulled
 * from the k3d registry; a pod restricted Pod Security admits, running as the image's user; the broker login of the
 * read-only user bridge mounted where its settings point; metrics scraped; one pod at a time.
 */
class EventBridgeTest {

    private static final BundleRenders RENDERS = BundleRenders.ofModule();
    private static final Path IMAGE = RENDERS.bundleDir().resolve("event-bridge/target/oci");

    private final KubeObject deployment = RENDERS.object("k3d", "Deployment", "event-bridge");
    private final Map<String, Object> pod = PodSpecs.of(deployment);
    private final Map<String, Object> container = PodSpecs.containers(pod).get(0);

    @Test
    void runsTheImageThisBuildMadeByDigestFromTheK3dRegistry() throws Exception {
        OciLayout image = OciLayout.read(IMAGE);
        assertThat(container.get("image")).isEqualTo(k3dPullRegistry() + "/homestack/event-bridge@"
                + image.manifestDigest());
    }

    @Test
    void aRestrictedPodAsTheImagesUser() throws Exception {
        OciLayout image = OciLayout.read(IMAGE);
        JsonNode config = new ObjectMapper().readTree(image.blobPath(image.manifest().config().digest()).toFile());
        Map<String, Object> podSecurity = KubeObject.map(pod.get("securityContext"));
        assertThat(podSecurity.get("runAsUser") + ":" + podSecurity.get("runAsGroup"))
                .isEqualTo(config.path("config").path("User").asText());
        assertThat(podSecurity).containsEntry("runAsNonRoot", true);
        assertThat(KubeObject.path(podSecurity, "seccompProfile")).containsEntry("type", "RuntimeDefault");
        Map<String, Object> security = KubeObject.map(container.get("securityContext"));
        assertThat(security).containsEntry("allowPrivilegeEscalation", false).containsEntry("readOnlyRootFilesystem", true);
        assertThat(KubeObject.list(KubeObject.path(security, "capabilities").get("drop"))).containsExactly("ALL");
        assertThat(mountPath("tmp")).as("the one writable path").isEqualTo("/tmp");
        assertThat(KubeObject.path(deployment.body(), "spec", "strategy")).containsEntry("type", "Recreate");
        assertThat(KubeObject.path(deployment.body(), "spec")).containsEntry("replicas", 1);
    }

    @Test
    void logsInAsTheReadOnlyUserBridgeFromItsSecret() throws Exception {
        Map<String, String> env = env();
        assertThat(env).containsEntry("MQTT_URL", "tcp://mosquitto.home-automation.svc:1883")
                .containsEntry("BASE_TOPIC", "zigbee2mqtt");
        assertThat(env.get("MQTT_USERNAME_FILE")).isEqualTo(mountPath("mqtt") + "/username");
        assertThat(env.get("MQTT_PASSWORD_FILE")).isEqualTo(mountPath("mqtt") + "/password");
        assertThat(volume("mqtt").get("secret")).isEqualTo(Map.of("secretName", "mqtt-bridge"));
        assertThat(RENDERS.object("k3d", "SealedSecret", "mqtt-bridge")).isNotNull();
        // The ACL section of that user: read only, Zigbee2MQTT's and Home Assistant's topics.
        String acl = Files.readString(RENDERS.bundleDir().resolve("manifests/base/mosquitto/acl"));
        Matcher section = Pattern.compile("(?m)^user bridge\n((?:topic .*\n)+)").matcher(acl);
        assertThat(section.find()).as("manifests/base/mosquitto/acl has a section for user bridge").isTrue();
        assertThat(section.group(1).lines()).containsExactly("topic read zigbee2mqtt/#", "topic read homeassistant/#");
    }

    @Test
    void prometheusScrapesTheMetricsPortInPlainText() {
        Map<String, Object> port = KubeObject.map(KubeObject.list(container.get("ports")).get(0));
        assertThat(port).containsEntry("name", "metrics").containsEntry("containerPort", 9090);
        assertThat(env()).containsEntry("METRICS_PORT", "9090");
        KubeObject service = RENDERS.object("k3d", "Service", "event-bridge");
        assertThat(KubeObject.map(KubeObject.list(KubeObject.path(service.body(), "spec").get("ports")).get(0)))
                .containsEntry("name", "metrics").containsEntry("targetPort", "metrics");
        KubeObject monitor = RENDERS.object("k3d", "ServiceMonitor", "event-bridge");
        assertThat(service.labels()).containsAllEntriesOf(
                KubeObject.map(KubeObject.path(monitor.body(), "spec", "selector").get("matchLabels")));
        assertThat(KubeObject.map(KubeObject.list(KubeObject.path(monitor.body(), "spec").get("endpoints")).get(0)))
                .containsEntry("port", "metrics").containsEntry("path", "/metrics");
        KubeObject peer = RENDERS.object("k3d", "PeerAuthentication", "event-bridge-metrics");
        assertThat(KubeObject.path(peer.body(), "spec", "portLevelMtls", "9090")).containsEntry("mode", "PERMISSIVE");
        assertThat(KubeObject.path(peer.body(), "spec", "selector", "matchLabels"))
                .containsEntry("app.kubernetes.io/name", "event-bridge");
    }

    private Map<String, String> env() {
        Map<String, String> env = new java.util.TreeMap<>();
        KubeObject.list(container.get("env")).forEach(e -> env.put(KubeObject.string(KubeObject.map(e).get("name")),
                KubeObject.string(KubeObject.map(e).get("value"))));
        return env;
    }

    private String mountPath(String volume) {
        return KubeObject.list(container.get("volumeMounts")).stream().map(KubeObject::map)
                .filter(m -> volume.equals(m.get("name"))).map(m -> KubeObject.string(m.get("mountPath")))
                .findFirst().orElseThrow(() -> new AssertionError("no mount of volume " + volume));
    }

    private Map<String, Object> volume(String name) {
        return KubeObject.list(pod.get("volumes")).stream().map(KubeObject::map).filter(v -> name.equals(v.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The registry k3d's cluster pulls from: clusters/k3d/pom.xml (K3dClusterConfigTest holds it to cluster.yaml). */
    private static String k3dPullRegistry() throws Exception {
        String pom = Files.readString(RENDERS.bundleDir().resolve("../../clusters/k3d/pom.xml"));
        Matcher m = Pattern.compile("<homestack.k3d.pullRegistry>([^<]+)</homestack.k3d.pullRegistry>").matcher(pom);
        assertThat(m.find()).as("clusters/k3d/pom.xml sets homestack.k3d.pullRegistry").isTrue();
        return m.group(1);
    }

    @Test
    void onK3dTheSimulatorHasAButtonThatPressesSoTheBridgeHasActionsToCount() {
        KubeObject simulator = RENDERS.object("k3d", "Deployment", "zigbee-simulator");
        Map<String, Object> simulatorContainer = PodSpecs.containers(PodSpecs.of(simulator)).get(0);
        String interval = KubeObject.list(simulatorContainer.get("env")).stream().map(KubeObject::map)
                .filter(e -> "BUTTON_INTERVAL".equals(e.get("name"))).map(e -> KubeObject.string(e.get("value")))
                .findFirst().orElseThrow(() -> new AssertionError("the simulator sets no BUTTON_INTERVAL"));
        assertThat(Integer.parseInt(interval)).isPositive();
        String devices = RENDERS.objects("k3d", "ConfigMap").stream()
                .filter(c -> c.name().startsWith("zigbee-simulator-devices-")).findFirst().map(c ->
                        KubeObject.string(KubeObject.map(c.body().get("data")).get("devices.yaml"))).orElseThrow();
        assertThat(devices).contains("type: button");
    }

    @Test
    void onlyK3dRunsTheBridge() {
        assertThat(RENDERS.objects("k3s", "Deployment")).extracting(KubeObject::name).doesNotContain("event-bridge");
    }
}
