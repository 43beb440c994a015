package io.homestack.bundle.diff;

import io.homestack.bundle.diff.ReleaseDiff.BundleChange;
import io.homestack.bundle.diff.ReleaseDiff.Change;
import io.homestack.bundle.diff.ReleaseDiff.ChartChange;
import io.homestack.bundle.diff.ReleaseDiff.FieldChange;
import io.homestack.bundle.diff.ReleaseDiff.ImageChange;
import io.homestack.bundle.release.ReleaseManifest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the manifests alone decide: bundles and charts added or removed, images by repository, fields by name. */
class ReleaseDifferTest {

    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);

    private static ReleaseArtifact release(List<String> bundles, List<ReleaseManifest.Chart> charts, List<String> images) {
        return new ReleaseArtifact("test", D1, new ReleaseManifest("release-k3d", "1.0.0", "k3d",
                bundles.stream().map(b -> new ReleaseManifest.Bundle(b, "1.0.0", D1, "platform", 0,
                        "oci://r/homestack/" + b, List.of())).toList(), charts, images), List.of());
    }

    private static ReleaseManifest.Chart chart(String bundle, String version) {
        return new ReleaseManifest.Chart(bundle, "app", "https://charts.example.test", "app", version);
    }

    @Test
    void bundlesChartsAndImagesAddedRemovedAndChanged() {
        ReleaseDiff diff = new ReleaseDiffer().diff(
                release(List.of("argocd", "istio"), List.of(chart("istio", "1.0.0")),
                        List.of("docker.io/a/b:1.0", "quay.io/c/d:2.0", "ghcr.io/e/f@sha256:" + "a".repeat(64))),
                release(List.of("argocd", "loki"), List.of(chart("loki", "3.0.0")),
                        List.of("docker.io/a/b:1.1", "ghcr.io/e/f@sha256:" + "b".repeat(64), "localhost:5000/g/h:1")));

        assertThat(diff.bundles()).containsExactly(
                new BundleChange("istio", Change.REMOVED, "1.0.0", null, D1, null),
                new BundleChange("loki", Change.ADDED, null, "1.0.0", null, D1));
        assertThat(diff.charts()).containsExactly(
                new ChartChange("istio", "app", Change.REMOVED, "app 1.0.0 (https://charts.example.test)", null),
                new ChartChange("loki", "app", Change.ADDED, null, "app 3.0.0 (https://charts.example.test)"));
        assertThat(diff.images()).containsExactly(
                new ImageChange("docker.io/a/b", Change.CHANGED, "docker.io/a/b:1.0", "docker.io/a/b:1.1"),
                new ImageChange("ghcr.io/e/f", Change.CHANGED, "ghcr.io/e/f@sha256:" + "a".repeat(64),
                        "ghcr.io/e/f@sha256:" + "b".repeat(64)),
                new ImageChange("localhost:5000/g/h", Change.ADDED, null, "localhost:5000/g/h:1"),
                new ImageChange("quay.io/c/d", Change.REMOVED, "quay.io/c/d:2.0", null));
        assertThat(diff.renders()).as("no bundle changed its digest: none is read").isEmpty();
        assertThat(DiffReport.markdown(diff)).contains("- removed istio: 1.0.0 " + D1 + "\n",
                "- changed docker.io/a/b: docker.io/a/b:1.0 → docker.io/a/b:1.1\n");
    }

    @Test
    void listItemsWithNamesAreMatchedByName() {
        Map<String, Object> before = Map.of("env", List.of(Map.of("name", "A", "value", "1"), Map.of("name", "B", "value", "2")),
                "args", List.of("--x", "--y"), "metadata", Map.of("annotations", Map.of("example.test/a", "1")));
        Map<String, Object> after = Map.of("env", List.of(Map.of("name", "NEW", "value", "0"), Map.of("name", "A", "value", "1"),
                Map.of("name", "B", "value", "3")), "args", List.of("--x"), "metadata", Map.of("annotations", Map.of()));

        assertThat(FieldDiff.of(before, after)).containsExactly(
                new FieldChange("args[1]", "--y", null),
                new FieldChange("env[name=B].value", "2", "3"),
                new FieldChange("env[name=NEW]", null, Map.of("name", "NEW", "value", "0")),
                new FieldChange("metadata.annotations.\"example.test/a\"", "1", null));
    }
}
