package io.homestack.apps.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homestack.bundle.inventory.Inventory;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.oci.OciLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nzbget's exporter sidecar is our image (apps/media/nzbget-exporter): on k3d the image this build made, pinned by
 * digest and pulled from the k3d registry; on k3s (not shipped yet) from the inventory's registry, for the build to pin
 * once k3s ships; restricted as the image's user; logged in with nzbget's own control login; probed without nzbget.
 */
class NzbgetExporterTest {

    private static final Path IMAGE = MediaRenders.BUNDLE_DIR.resolve("nzbget-exporter/target/oci");
    private static final String REPOSITORY = "/homestack/nzbget-exporter";

    private final MediaRenders output = new MediaRenders();

    @Test
    void k3dRunsTheImageThisBuildMadeByDigestFromTheK3dRegistry() throws Exception {
        assertThat(exporter("k3d").get("image"))
                .isEqualTo(k3dPullRegistry() + REPOSITORY + "@" + OciLayout.read(IMAGE).manifestDigest());
    }

    @Test
    void k3sPullsItFromTheInventorysRegistry() {
        String registry = Inventory.read(MediaRenders.BUNDLE_DIR.resolve("../../clusters/k3s/inventory.yaml"))
                .requireRegistry();
        assertThat(MediaRenders.shippedEnvironments()).as("once k3s ships, its render pins this to the digest")
                .doesNotContain("k3s");
        assertThat(exporter("k3s").get("image")).isEqualTo(registry + REPOSITORY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void aRestrictedContainerAsTheImagesUser(String env) throws Exception {
        OciLayout image = OciLayout.read(IMAGE);
        JsonNode config = new ObjectMapper().readTree(image.blobPath(image.manifest().config().digest()).toFile());
        Map<String, Object> security = KubeObject.map(exporter(env).get("securityContext"));
        assertThat(security.get("runAsUser") + ":" + security.get("runAsGroup"))
                .isEqualTo(config.path("config").path("User").asText());
        assertThat(security).containsEntry("allowPrivilegeEscalation", false).containsEntry("readOnlyRootFilesystem", true);
        assertThat(KubeObject.list(KubeObject.path(security, "capabilities").get("drop"))).containsExactly("ALL");
        assertThat(KubeObject.map(pod(env).get("securityContext"))).containsEntry("runAsNonRoot", true);
        List<String> mounts = KubeObject.list(exporter(env).get("volumeMounts")).stream()
                .map(m -> KubeObject.string(KubeObject.map(m).get("mountPath"))).toList();
        assertThat(mounts).as("the one writable path").containsExactly("/tmp");
        Map<String, Object> resources = KubeObject.map(exporter(env).get("resources"));
        assertThat(KubeObject.path(resources, "requests")).containsKeys("cpu", "memory");
        assertThat(KubeObject.path(resources, "limits")).containsKey("memory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void itLogsInAsNzbgetsControlUserAndServesTheMetricsPort(String env) {
        Map<String, Object> nzbget = PodSpecs.containers(pod(env)).stream().filter(c -> "nzbget".equals(c.get("name")))
                .findFirst().orElseThrow();
        for (String variable : List.of("NZBGET_USER", "NZBGET_PASS")) {
            assertThat(secretRef(exporter(env), variable)).as(variable).isNotNull().isEqualTo(secretRef(nzbget, variable));
        }
        int nzbgetPort = KubeObject.list(nzbget.get("ports")).stream().map(KubeObject::map)
                .filter(p -> "http".equals(p.get("name"))).map(p -> (Integer) p.get("containerPort")).findFirst().orElseThrow();
        assertThat(env(env)).containsEntry("NZBGET_URL", "http://localhost:" + nzbgetPort);

        Map<String, Object> port = KubeObject.map(KubeObject.list(exporter(env).get("ports")).get(0));
        assertThat(port).containsEntry("name", "metrics").containsEntry("containerPort", 9452);
        assertThat(env(env)).containsEntry("METRICS_PORT", "9452");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(KubeObject.path(KubeObject.map(exporter(env).get(probe)), "httpGet"))
                    .as("%s: the exporter's own health page, which does not call nzbget", probe)
                    .containsEntry("path", "/-/healthy").containsEntry("port", "metrics");
        }
    }

    @Test
    void velerosBackupSkipsTheExportersScratch() {
        Map<String, Object> annotations = KubeObject.path(KubeObject.path(output.object("k3d", "Deployment", "nzbget")
                .body(), "spec", "template", "metadata"), "annotations");
        assertThat(KubeObject.string(annotations.get("backup.velero.io/backup-volumes-excludes")).split(","))
                .contains("exporter-tmp");
    }

    private Map<String, Object> pod(String env) {
        return PodSpecs.of(output.object(env, "Deployment", "nzbget"));
    }

    private Map<String, Object> exporter(String env) {
        return PodSpecs.containers(pod(env)).stream().filter(c -> "exporter".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no exporter container in nzbget's pod (" + env + ")"));
    }

    private Map<String, String> env(String env) {
        Map<String, String> values = new TreeMap<>();
        KubeObject.list(exporter(env).get("env")).forEach(e -> values.put(KubeObject.string(KubeObject.map(e).get("name")),
                KubeObject.string(KubeObject.map(e).get("value"))));
        return values;
    }

    private static String secretRef(Map<String, Object> container, String variable) {
        return KubeObject.list(container.get("env")).stream().map(KubeObject::map)
                .filter(e -> variable.equals(e.get("name")))
                .map(e -> KubeObject.path(e, "valueFrom", "secretKeyRef"))
                .filter(ref -> !ref.isEmpty()).map(ref -> ref.get("name") + "/" + ref.get("key"))
                .findFirst().orElse(null);
    }

    /** The registry k3d's cluster pulls from: clusters/k3d/pom.xml (K3dClusterConfigTest holds it to cluster.yaml). */
    private static String k3dPullRegistry() throws Exception {
        String pom = Files.readString(MediaRenders.BUNDLE_DIR.resolve("../../clusters/k3d/pom.xml"));
        Matcher m = Pattern.compile("<homestack.k3d.pullRegistry>([^<]+)</homestack.k3d.pullRegistry>").matcher(pom);
        assertThat(m.find()).as("clusters/k3d/pom.xml sets homestack.k3d.pullRegistry").isTrue();
        return m.group(1);
    }
}
