package io.homestack.apps.media;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.TestCluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What MediaK3dIT and MediaK3sIT check on their topology: the bundle applies, every app lands, and the file handlers
 * share the downloads and mount their libraries.
 */
final class MediaPlacement {

    static final List<String> APPS = List.of("nzbget", "sonarr", "radarr", "prowlarr");
    /** The claims each app's pod mounts besides its own config (Prowlarr handles no files). */
    private static final Map<String, List<String>> SHARED_CLAIMS = Map.of(
            "nzbget", List.of("downloads"),
            "sonarr", List.of("downloads", "tv"),
            "radarr", List.of("downloads", "movies"),
            "prowlarr", List.of());

    private MediaPlacement() {
    }

    /** Applies the k3d bundle as built; its SealedSecrets must be opened by the real controller. */
    static void appliesAndRunsWithSharedVolumes(TestCluster cluster) {
        applyStorage(cluster, "k3d");
        cluster.apply(BundleOutput.ofModule(), "k3d");
        // Before the pods: a Deployment whose Secret is missing never starts (CreateContainerConfigError).
        Map<String, Set<String>> referenced = MediaRenders.secretKeysReferenced(new MediaRenders().objects("k3d"));
        assertThat(referenced).as("Secrets the pods read").isNotEmpty();
        referenced.forEach((name, keys) -> {
            assertThatCluster(cluster).hasSecretUnsealed("media", name);
            Map<String, String> data = cluster.client().secrets().inNamespace("media").withName(name).get().getData();
            assertThat(data).as("Secret media/%s unsealed by the controller", name).containsOnlyKeys(keys);
            data.forEach((key, value) -> assertThat(decode(value)).as("%s/%s", name, key).isNotBlank());
            if (name.endsWith("-api-key")) {
                // exportarr refuses anything else; the app takes the same key.
                assertThat(decode(data.get("api-key"))).as("%s: 20 to 32 letters and digits", name)
                        .matches("[A-Za-z0-9]{20,32}");
            }
        });
        runsWithSharedVolumes(cluster);
    }

    /**
     * Applies the k3s overlay as it will ship (MediaRenders: not shipped yet) with plain Secrets standing in for the
     * SealedSecrets the operator seals for the home cluster: this checks placement and storage on the home topology,
     * not the Secrets.
     */
    static void appliesK3sOverlayAndRunsWithSharedVolumes(TestCluster cluster) {
        applyStorage(cluster, "k3s");
        List<KubeObject> objects = new ArrayList<>(new MediaRenders().objects("k3s"));
        MediaRenders.secretKeysReferenced(objects).forEach((name, keys) -> {
            Map<String, Object> data = new LinkedHashMap<>();
            keys.forEach(key -> data.put(key, "stand-in-for-the-operator-sealed-value"));
            objects.add(new KubeObject(new LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "Secret",
                    "metadata", new LinkedHashMap<>(Map.of("name", name, "namespace", "media")), "stringData", data)),
                    "test stand-in for sealedsecret-" + name + ".yaml"));
        });
        cluster.apply("media", objects);
        runsWithSharedVolumes(cluster);
    }

    /** The StorageClasses media's claims ask for come from platform/storage, built before media. */
    private static void applyStorage(TestCluster cluster, String env) {
        cluster.apply(BundleOutput.of(MediaRenders.BUNDLE_DIR.resolve("../../platform/storage/target/bundle").normalize()), env);
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static void runsWithSharedVolumes(TestCluster cluster) {

        for (String shared : List.of("downloads", "tv", "movies")) {
            assertThatCluster(cluster).hasPvcBound("media", shared);
        }
        for (String app : APPS) {
            assertThatCluster(cluster).hasPvcBound("media", app + "-config").hasDeploymentAvailable("media", app);
        }
        List<Pod> pods = cluster.client().pods().inNamespace("media").list().getItems();
        for (String app : APPS) {
            Pod pod = pods.stream().filter(p -> p.getMetadata().getName().startsWith(app + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no pod of " + app + " in media"));
            assertThat(pod.getStatus().getPhase()).as(app).isEqualTo("Running");
            assertThat(pod.getSpec().getNodeName()).as(app + " is on a node").isNotBlank();
            List<String> claims = new ArrayList<>(SHARED_CLAIMS.get(app));
            claims.add(app + "-config");
            assertThat(pod.getSpec().getVolumes()).as(app + " mounts its config and the shared claims it works on")
                    .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                    .extracting((Volume v) -> v.getPersistentVolumeClaim().getClaimName())
                    .containsExactlyInAnyOrderElementsOf(claims);
        }
    }
}
