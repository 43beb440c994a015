package io.homestack.bundle;

import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.oci.ArtifactSpec;
import io.homestack.bundle.oci.OciArtifact;
import io.homestack.bundle.oci.OciLayoutWriter;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.render.BundleMetadata;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.render.RenderedBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole pipeline (kustomize, chart Applications, tree, OCI layout) twice over the same sources. */
class ReproducibleBundleTest {

    private static final Instant TIMESTAMP = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private TestBundles sources(Path at) {
        return TestBundles.in(at)
                .file("bundle.yaml", "name: demo\ngroup: workloads\ncharts:\n"
                        + "  - {name: podinfo, repository: https://charts.example.test, version: 6.7.1, namespace: demo}\n")
                .file("values/podinfo.yaml", "replicaCount: 1\nui: {color: blue, message: hi}\nzeta: 1\nalpha: 2\n")
                .file("manifests/base/kustomization.yaml", "resources: [configmap.yaml]\n")
                .file("manifests/base/configmap.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: demo}\ndata: {b: '2', a: '1'}\n");
    }

    private OciArtifact build(Path sources, String name) {
        Path out = dir.resolve(name);
        RenderedBundle rendered = new BundleRenderer(BundleLog.SILENT).render(Bundle.load(sources), out.resolve("work"));
        new ArtifactTreeWriter().write(rendered, BundleMetadata.of(rendered, "1.0.0", List.of()), out.resolve("bundle"));
        return OciLayoutWriter.write(out.resolve("bundle"), new ArtifactSpec("demo", "1.0.0", "https://example.test/src",
                "0123456789abcdef0123456789abcdef01234567", "demo", null), TIMESTAMP, out.resolve("oci"));
    }

    @Test
    void sameSourcesGiveIdenticalDigestsAndBytes() throws Exception {
        OciArtifact first = build(sources(dir.resolve("src-a")).dir(), "a");
        // A second checkout in another place, files written at another time.
        Thread.sleep(1100);
        OciArtifact second = build(sources(dir.resolve("src-b")).dir(), "b");
        assertThat(second.layerDigest()).isEqualTo(first.layerDigest());
        assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
        assertThat(Files.readAllBytes(second.layerFile())).isEqualTo(Files.readAllBytes(first.layerFile()));
    }

    @Test
    void oneChangedValueChangesBothDigests() {
        OciArtifact before = build(sources(dir.resolve("src-a")).dir(), "a");
        TestBundles changed = sources(dir.resolve("src-b")).file("values/podinfo.yaml",
                "replicaCount: 2\nui: {color: blue, message: hi}\nzeta: 1\nalpha: 2\n");
        OciArtifact after = build(changed.dir(), "b");
        assertThat(after.layerDigest()).isNotEqualTo(before.layerDigest());
        assertThat(after.manifestDigest()).isNotEqualTo(before.manifestDigest());
    }
}
