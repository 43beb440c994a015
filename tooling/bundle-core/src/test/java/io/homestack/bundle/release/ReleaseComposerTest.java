package io.homestack.bundle.release;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.render.BundleMetadata;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseComposerTest {

    private static final ReleaseSpec K3D = new ReleaseSpec("release-k3d", "1.0.0", "k3d", "k3d-registry.localhost:5000", "homestack");

    private static ReleasedBundle bundle(String name, String group, String... deps) {
        var chart = new BundleMetadata.Chart(name + "-chart", "https://charts.example.test", name, "1.2.3", name,
                List.of("k3d", "k3s"), List.of("example.test/" + name + ":1.0"));
        var metadata = new BundleMetadata(name, "1.0.0", "", group, List.of("k3d", "k3s"), List.of(chart),
                Map.of("k3d", List.of("example.test/" + name + ":1.0"), "k3s", List.of("example.test/" + name + ":2.0")),
                Arrays.stream(deps).map(d -> new BundleMetadata.Dependency(d, "1.0.0")).toList());
        return new ReleasedBundle(metadata, "sha256:" + name.repeat(64).substring(0, 64));
    }

    private static KubeObject app(ReleaseComposer.Release release, String name) {
        return release.objects().stream().filter(o -> o.kind().equals("Application") && o.name().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void wavesFollowDependencies() {
        var release = new ReleaseComposer().compose(K3D, List.of(
                bundle("media", "workloads", "storage", "ingress"),
                bundle("ingress", "platform", "istio"),
                bundle("istio", "platform"),
                bundle("storage", "platform")));
        assertThat(release.manifest().bundles()).extracting(ReleaseManifest.Bundle::name, ReleaseManifest.Bundle::wave)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ingress", 1), org.assertj.core.groups.Tuple.tuple("istio", 0),
                        org.assertj.core.groups.Tuple.tuple("media", 2), org.assertj.core.groups.Tuple.tuple("storage", 0));
        assertThat(app(release, "media").annotations()).containsEntry("argocd.argoproj.io/sync-wave", "2");
    }

    @Test
    void applicationsPointAtTheBundleArtifactByDigestWithTheEnvironmentPath() {
        var release = new ReleaseComposer().compose(K3D, List.of(bundle("storage", "platform")));
        Map<String, Object> source = KubeObject.path(app(release, "storage").body(), "spec", "source");
        assertThat(source).containsEntry("repoURL", "oci://k3d-registry.localhost:5000/homestack/storage")
                .containsEntry("targetRevision", "sha256:" + "storage".repeat(10).substring(0, 64))
                .containsEntry("path", "k3d");
        assertThat(KubeObject.path(app(release, "storage").body(), "spec")).containsEntry("project", "platform");
    }

    /** The AppProjects are the argocd bundle's objects; a second source would fight it over them. */
    @Test
    void theReleaseOnlyReferencesTheAppProjectsOfItsGroups() {
        var release = new ReleaseComposer().compose(K3D, List.of(bundle("media", "workloads", "storage"),
                bundle("storage", "platform")));
        assertThat(release.objects()).extracting(KubeObject::kind).containsOnly("Application");
        assertThat(KubeObject.path(app(release, "media").body(), "spec")).containsEntry("project", "workloads");
    }

    @Test
    void manifestListsEveryBundleChartAndImage() {
        var release = new ReleaseComposer().compose(K3D, List.of(bundle("media", "workloads", "storage"),
                bundle("storage", "platform")));
        ReleaseManifest m = release.manifest();
        assertThat(m.bundles()).extracting(ReleaseManifest.Bundle::digest).allMatch(d -> d.startsWith("sha256:"));
        assertThat(m.charts()).extracting(ReleaseManifest.Chart::name, ReleaseManifest.Chart::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("media-chart", "1.2.3"),
                        org.assertj.core.groups.Tuple.tuple("storage-chart", "1.2.3"));
        assertThat(m.images()).containsExactly("example.test/media:1.0", "example.test/storage:1.0");
    }

    @Test
    void cycleIsRejectedWithThePath() {
        assertThatThrownBy(() -> new ReleaseComposer().compose(K3D, List.of(bundle("a", "platform", "b"),
                bundle("b", "platform", "c"), bundle("c", "platform", "a"))))
                .isInstanceOf(BundleException.class).hasMessageContaining("bundle dependency cycle: a -> b -> c -> a");
    }

    @Test
    void missingDependencyIsRejected() {
        assertThatThrownBy(() -> new ReleaseComposer().compose(K3D, List.of(bundle("media", "workloads", "storage"))))
                .hasMessageContaining("bundle 'media' needs 'storage', which the release does not contain");
    }

    @Test
    void emptyReleaseIsRejected() {
        assertThatThrownBy(() -> new ReleaseComposer().compose(K3D, List.of())).hasMessageContaining("contains no bundles");
    }
}
