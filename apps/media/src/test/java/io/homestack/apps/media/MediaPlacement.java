package io.homestack.apps.media;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.TestCluster;

import java.nio.file.Path;
import java.util.List;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/** What MediaK3dIT and MediaK3sIT check on their topology: the bundle applies, lands and shares its downloads. */
final class MediaPlacement {

    static final List<String> APPS = List.of("nzbget", "sonarr", "radarr");

    private MediaPlacement() {
    }

    static void appliesAndRunsWithSharedDownloads(TestCluster cluster, String env) {
        // The StorageClasses media's claims ask for come from platform/storage, built before media.
        Path storage = Path.of(System.getProperty("homestack.bundle.dir", ".")).resolve("../../platform/storage/target/bundle");
        cluster.apply(BundleOutput.of(storage.normalize()), env);
        cluster.apply(BundleOutput.ofModule(), env);

        assertThatCluster(cluster).hasPvcBound("media", "downloads");
        for (String app : APPS) {
            assertThatCluster(cluster).hasPvcBound("media", app + "-config").hasDeploymentAvailable("media", app);
        }
        List<Pod> pods = cluster.client().pods().inNamespace("media").list().getItems();
        for (String app : APPS) {
            Pod pod = pods.stream().filter(p -> p.getMetadata().getName().startsWith(app + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no pod of " + app + " in media"));
            assertThat(pod.getStatus().getPhase()).as(app).isEqualTo("Running");
            assertThat(pod.getSpec().getNodeName()).as(app + " is on a node").isNotBlank();
            assertThat(pod.getSpec().getVolumes()).as(app + " mounts the shared downloads claim")
                    .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                    .extracting((Volume v) -> v.getPersistentVolumeClaim().getClaimName())
                    .contains("downloads", app + "-config");
        }
    }
}
