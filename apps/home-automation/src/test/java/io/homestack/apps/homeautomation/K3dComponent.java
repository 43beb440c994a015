package io.homestack.apps.homeautomation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.test.BundleRenders;

import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One of this bundle's Java components (a module directory beside manifests/, e.g. zigbee-simulator) as the k3d render
 * runs it: its Deployment, pod and container, and the checks every component's Deployment must pass (the image this
 * build made, by digest; restricted Pod Security as the image's user; metrics for Prometheus in plain text).
 */
final class K3dComponent {

    final String name;
    final KubeObject deployment;
    final Map<String, Object> pod;
    final Map<String, Object> container;
    private final BundleRenders renders;

    K3dComponent(BundleRenders renders, String name) {
        this.renders = renders;
        this.name = name;
        this.deployment = renders.object("k3d", "Deployment", name);
        this.pod = PodSpecs.of(deployment);
        this.container = PodSpecs.containers(pod).get(0);
    }

    private OciLayout image() {
        return OciLayout.read(renders.bundleDir().resolve(name).resolve("target/oci"));
    }

    void assertRunsTheImageThisBuildMadeByDigestFromTheK3dRegistry() throws Exception {
        assertThat(container.get("image")).isEqualTo(k3dPullRegistry() + "/homestack/" + name + "@"
                + image().manifestDigest());
    }

    /** Restricted Pod Security as the image's own user, /tmp the one writable path, one pod at a time. */
    void assertRestrictedAsTheImagesUserOnePodAtATime() throws Exception {
        OciLayout image = image();
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

    /** Port `metrics` 9090 behind a Service and ServiceMonitor, PERMISSIVE for Prometheus outside the mesh. */
    void assertPrometheusScrapesTheMetricsPortInPlainText() {
        Map<String, Object> port = KubeObject.map(KubeObject.list(container.get("ports")).get(0));
        assertThat(port).containsEntry("name", "metrics").containsEntry("containerPort", 9090);
        assertThat(env()).containsEntry("METRICS_PORT", "9090");
        KubeObject service = renders.object("k3d", "Service", name);
        assertThat(KubeObject.map(KubeObject.list(KubeObject.path(service.body(), "spec").get("ports")).get(0)))
                .containsEntry("name", "metrics").containsEntry("targetPort", "metrics");
        KubeObject monitor = renders.object("k3d", "ServiceMonitor", name);
        assertThat(service.labels()).containsAllEntriesOf(
                KubeObject.map(KubeObject.path(monitor.body(), "spec", "selector").get("matchLabels")));
        assertThat(KubeObject.map(KubeObject.list(KubeObject.path(monitor.body(), "spec").get("endpoints")).get(0)))
                .containsEntry("port", "metrics").containsEntry("path", "/metrics");
        KubeObject peer = renders.object("k3d", "PeerAuthentication", name + "-metrics");
        assertThat(KubeObject.path(peer.body(), "spec", "portLevelMtls", "9090")).containsEntry("mode", "PERMISSIVE");
        assertThat(KubeObject.path(peer.body(), "spec", "selector", "matchLabels"))
                .containsEntry("app.kubernetes.io/name", name);
    }

    Map<String, String> env() {
        Map<String, String> env = new TreeMap<>();
        KubeObject.list(container.get("env")).forEach(e -> env.put(KubeObject.string(KubeObject.map(e).get("name")),
                KubeObject.string(KubeObject.map(e).get("value"))));
        return env;
    }

    String mountPath(String volume) {
        return KubeObject.list(container.get("volumeMounts")).stream().map(KubeObject::map)
                .filter(m -> volume.equals(m.get("name"))).map(m -> KubeObject.string(m.get("mountPath")))
                .findFirst().orElseThrow(() -> new AssertionError("no mount of volume " + volume));
    }

    Map<String, Object> volume(String volumeName) {
        return KubeObject.list(pod.get("volumes")).stream().map(KubeObject::map)
                .filter(v -> volumeName.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + volumeName));
    }

    /** The registry k3d's cluster pulls from: clusters/k3d/pom.xml (K3dClusterConfigTest holds it to cluster.yaml). */
    private String k3dPullRegistry() throws Exception {
        String pom = Files.readString(renders.bundleDir().resolve("../../clusters/k3d/pom.xml"));
        Matcher m = Pattern.compile("<homestack.k3d.pullRegistry>([^<]+)</homestack.k3d.pullRegistry>").matcher(pom);
        assertThat(m.find()).as("clusters/k3d/pom.xml sets homestack.k3d.pullRegistry").isTrue();
        return m.group(1);
    }
}
