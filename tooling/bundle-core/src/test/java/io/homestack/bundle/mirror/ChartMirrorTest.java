package io.homestack.bundle.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.oci.ArtifactSpec;
import io.homestack.bundle.oci.CanonicalJson;
import io.homestack.bundle.oci.LocalRegistry;
import io.homestack.bundle.oci.LocalRegistryExtension;
import io.homestack.bundle.oci.OciArtifact;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.OciLayoutWriter;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.release.BundleArtifactReader;
import io.homestack.bundle.release.ReleaseComposer;
import io.homestack.bundle.release.ReleaseManifest;
import io.homestack.bundle.release.ReleaseSpec;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.render.BundleMetadata;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.render.RenderedBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mirror against a real registry (docker-registry on 127.0.0.1): a bundle with one chart Application and a release
 * of it are built and pushed as the build does; the mirror copies the chart (the test chart, a chart directory) and
 * pushes the relocated bundle and release. Read back from the registry: Helm's media types, Helm itself pulling and
 * rendering the mirrored chart the way Argo CD's repo-server does, the relocated Applications, reproducible digests.
 */
@ExtendWith(LocalRegistryExtension.class)
class ChartMirrorTest {

    private static final Instant TIMESTAMP = Instant.parse("2026-01-01T00:00:00Z");
    /** The cluster's name for the registries, unlike the build's: relocation must use this one. */
    private static final String CLUSTER_REGISTRY = "registry.cluster.test:5000";

    private static LocalRegistry registry;
    private static String bundleDigest;

    @TempDir
    Path dir;

    @BeforeAll
    static void pushBundleAndRelease(LocalRegistry started, @TempDir Path build) throws IOException {
        registry = started;
        RegistryClient client = RegistryClient.builder(registry.target("homestack")).build();
        Bundle bundle = Bundle.load(resource("bundle"));
        RenderedBundle rendered = new BundleRenderer(BundleLog.SILENT).render(bundle, build.resolve("work"));
        new ArtifactTreeWriter().write(rendered, BundleMetadata.of(rendered, "1.0.0", List.of()), build.resolve("bundle"));
        OciArtifact built = OciLayoutWriter.write(build.resolve("bundle"), new ArtifactSpec("hydrate-demo", "1.0.0",
                "https://example.test/src", "0123456789abcdef0123456789abcdef01234567", "demo", null), TIMESTAMP,
                build.resolve("oci"));
        bundleDigest = client.push(OciLayout.read(built.layoutDir()), "hydrate-demo").digest();

        ReleaseSpec spec = new ReleaseSpec("release-k3d", "1.0.0", "k3d", CLUSTER_REGISTRY, "homestack");
        ReleaseComposer.Release release = new ReleaseComposer().compose(spec,
                List.of(new BundleArtifactReader().read(built.manifestBytes(), built.layerFile(), "hydrate-demo")));
        new ArtifactTreeWriter().write("release-k3d", Map.of(ReleaseManifest.PATH, release.manifest()),
                Map.of("k3d", release.objects()), build.resolve("release"));
        OciArtifact releaseArtifact = OciLayoutWriter.write(build.resolve("release"),
                ArtifactSpec.of("release-k3d", "1.0.0"), TIMESTAMP, build.resolve("release-oci"));
        client.push(OciLayout.read(releaseArtifact.layoutDir()), "release-k3d");
    }

    static Path resource(String path) {
        try {
            return Path.of(ChartMirrorTest.class.getResource("/hydrate/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private MirrorSpec spec(String prefix, List<Path> chartDirectories, boolean allowMissing, String out) {
        return new MirrorSpec(registry.target(""), "homestack/release-k3d", "1.0.0", registry.target(prefix),
                CLUSTER_REGISTRY, chartDirectories, allowMissing, dir.resolve(out));
    }

    private MirrorReport mirror(MirrorSpec spec) {
        RegistryClient source = RegistryClient.builder(spec.source()).build();
        RegistryClient target = RegistryClient.builder(spec.mirror()).build();
        return new ChartMirror(spec, source, target, BundleLog.SILENT).run();
    }

    @Test
    void copiesTheChartInHelmsOciFormatAndHelmRendersItFromTheMirror() throws IOException {
        MirrorReport report = mirror(spec("mirror", List.of(resource("charts")), false, "out"));

        assertThat(report.charts()).singleElement().satisfies(c -> {
            assertThat(c.reference()).isEqualTo(registry.address() + "/mirror/charts/demo:0.3.1");
            assertThat(c.source()).endsWith("charts/demo");
        });
        assertThat(report.missingCharts()).isEmpty();
        assertThat(report.chartRepository()).isEqualTo(CLUSTER_REGISTRY + "/mirror/charts");

        OciLayout chart = RegistryClient.builder(registry.target("mirror")).build()
                .pull("charts/demo", "0.3.1", dir.resolve("pulled-chart"));
        assertThat(chart.manifestDigest()).isEqualTo(report.charts().get(0).digest());
        assertThat(chart.manifest().config().mediaType()).isEqualTo("application/vnd.cncf.helm.config.v1+json");
        assertThat(chart.manifest().layers()).singleElement().satisfies(l ->
                assertThat(l.mediaType()).isEqualTo("application/vnd.cncf.helm.chart.content.v1.tar+gzip"));
        assertThat(chart.manifest().annotations()).containsEntry("org.opencontainers.image.title", "demo")
                .containsEntry("org.opencontainers.image.version", "0.3.1")
                .doesNotContainKey("org.opencontainers.image.created");
        JsonNode config = CanonicalJson.parse(Files.readAllBytes(chart.blobPath(chart.manifest().config().digest())));
        assertThat(config.path("name").asText()).isEqualTo("demo");
        assertThat(config.path("version").asText()).isEqualTo("0.3.1");
        assertThat(config.path("kubeVersion").asText()).isEqualTo(">=1.30.0-0");

        // What Argo CD's repo-server does with repoURL <registry>/<path> and chart <name>: helm pull
        // oci://<registry>/<path>/<name> --version <targetRevision> (--plain-http), then helm template.
        String rendered = Helm.template("oci://" + registry.address() + "/mirror/charts/demo").withVersion("0.3.1").plainHttp()
                .withName("web").withNamespace("demo").withKubeVersion("v1.35.0").call();
        assertThat(rendered).contains("kind: Deployment").contains("name: web");
    }

    @Test
    void theChartArtifactIsWhatHelmPushWritesForTheSameArchiveButTheCreationTime() throws IOException {
        MirrorReport report = mirror(spec("mirror-h", List.of(resource("charts")), false, "out"));
        OciLayout ours = RegistryClient.builder(registry.target("mirror-h")).build()
                .pull("charts/demo", report.charts().get(0).digest(), dir.resolve("ours"));
        Path archive = Files.copy(ours.layerFile(), Files.createDirectories(dir.resolve("archive")).resolve("demo-0.3.1.tgz"));
        Helm.push().withChart(archive).withRemote(java.net.URI.create("oci://" + registry.address() + "/helm-pushed"))
                .plainHttp().call();
        OciLayout helms = RegistryClient.builder(registry.target("helm-pushed")).build()
                .pull("demo", "0.3.1", dir.resolve("helms"));

        assertThat(ours.manifest().config().mediaType()).isEqualTo(helms.manifest().config().mediaType());
        assertThat(ours.manifest().layers()).isEqualTo(helms.manifest().layers());
        Map<String, String> helmAnnotations = new java.util.TreeMap<>(helms.manifest().annotations());
        assertThat(helmAnnotations.remove("org.opencontainers.image.created")).isNotNull();
        assertThat(ours.manifest().annotations()).isEqualTo(helmAnnotations);
        assertThat(CanonicalJson.parse(Files.readAllBytes(ours.blobPath(ours.manifest().config().digest()))))
                .isEqualTo(CanonicalJson.parse(Files.readAllBytes(helms.blobPath(helms.manifest().config().digest()))));
    }

    @Test
    void relocatesTheBundlesChartApplicationsAndTheReleasePinsTheRelocatedBundles() throws IOException {
        MirrorReport report = mirror(spec("mirror", List.of(resource("charts")), false, "out"));

        MirrorReport.Artifact bundle = report.bundles().get(0);
        assertThat(bundle.from()).isEqualTo("homestack/hydrate-demo@" + bundleDigest);
        assertThat(bundle.digest()).isNotEqualTo(bundleDigest);
        Path tree = unpack("mirror", "hydrate-demo", bundle.digest(), "bundle");
        for (String env : List.of("k3d", "k3s")) {
            Map<String, Object> app = object(tree.resolve(env).resolve("application-hydrate-demo-demo.yaml"));
            assertThat(KubeObject.path(app, "spec", "source")).containsEntry("repoURL", CLUSTER_REGISTRY + "/mirror/charts")
                    .containsEntry("chart", "demo").containsEntry("targetRevision", "0.3.1");
            assertThat(KubeObject.path(app, "spec", "source", "helm", "valuesObject")).isNotEmpty();
        }
        String bundleJson = Files.readString(tree.resolve(".homestack/bundle.json"));
        assertThat(bundleJson).contains("\"repository\" : \"" + CLUSTER_REGISTRY + "/mirror/charts\"");

        Path release = unpack("mirror", "release-k3d", report.release().digest(), "release");
        Map<String, Object> app = object(release.resolve("k3d/application-hydrate-demo.yaml"));
        assertThat(KubeObject.path(app, "spec", "source"))
                .containsEntry("repoURL", "oci://" + CLUSTER_REGISTRY + "/mirror/hydrate-demo")
                .containsEntry("targetRevision", bundle.digest()).containsEntry("path", "k3d");
        assertThat(Files.readString(release.resolve(".homestack/release.json"))).contains(bundle.digest())
                .doesNotContain(bundleDigest).contains(CLUSTER_REGISTRY + "/mirror/charts");
        assertThat(dir.resolve("out").resolve(ChartMirror.REPOSITORY_SECRET)).content()
                .contains("url: " + CLUSTER_REGISTRY + "/mirror/charts").contains("enableOCI: \"true\"")
                .contains("insecureOCIForceHttp: \"true\"").contains("type: helm");
    }

    @Test
    void theSameReleaseMirroredAgainGivesTheSameDigests() throws IOException {
        MirrorReport first = mirror(spec("mirror-a", List.of(resource("charts")), false, "a"));
        // The chart checked out again elsewhere, later: Helm stamps each file's own time into the archive.
        Path copy = dir.resolve("charts-copy");
        try (Stream<Path> walk = Files.walk(resource("charts"))) {
            for (Path p : walk.toList()) {
                Path to = copy.resolve(resource("charts").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                    Files.setLastModifiedTime(to, FileTime.from(Instant.parse("2030-06-01T12:00:00Z")));
                }
            }
        }
        MirrorReport second = mirror(spec("mirror-b", List.of(copy), false, "b"));
        assertThat(second.charts().get(0).digest()).isEqualTo(first.charts().get(0).digest());
        assertThat(second.bundles().get(0).digest()).isNotEqualTo(bundleDigest);
        // Bundles name the chart repository, so another prefix gives another bundle; the same prefix the same one.
        MirrorReport again = mirror(spec("mirror-a", List.of(resource("charts")), false, "c"));
        assertThat(again.bundles().get(0).digest()).isEqualTo(first.bundles().get(0).digest());
        assertThat(again.release().digest()).isEqualTo(first.release().digest());
    }

    @Test
    void aChartInNoDirectoryFailsByNameBeforeAnythingIsPushed() {
        assertThatThrownBy(() -> mirror(spec("mirror-none", List.of(dir.resolve("empty")), false, "out")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("hydrate-demo/demo 0.3.1").hasMessageContaining("allowMissingCharts");
        RegistryClient target = RegistryClient.builder(registry.target("mirror-none")).build();
        assertThatThrownBy(() -> target.resolve("hydrate-demo", "1.0.0")).hasMessageContaining("not found");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void mirroringOntoTheReleasesOwnPrefixIsRefused() {
        assertThatThrownBy(() -> spec("homestack", List.of(), false, "out"))
                .isInstanceOf(BundleException.class).hasMessageContaining("would overwrite the release it copies");
    }

    @Test
    void allowingMissingChartsKeepsTheirUpstreamRepositoryAndReportsThem() throws IOException {
        MirrorReport report = mirror(spec("mirror-partial", List.of(), true, "out"));
        assertThat(report.charts()).isEmpty();
        assertThat(report.missingCharts()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("demo");
            assertThat(m.repository()).isEqualTo("https://charts.example.test");
        });
        // Nothing to relocate: unpacking and packing again gives the original artifact byte for byte.
        assertThat(report.bundles().get(0).digest()).isEqualTo(bundleDigest);
        Path tree = unpack("mirror-partial", "hydrate-demo", report.bundles().get(0).digest(), "bundle");
        assertThat(KubeObject.path(object(tree.resolve("k3d/application-hydrate-demo-demo.yaml")), "spec", "source"))
                .containsEntry("repoURL", "https://charts.example.test");
    }

    private Path unpack(String prefix, String name, String digest, String as) {
        OciLayout layout = RegistryClient.builder(registry.target(prefix)).build()
                .pull(name, digest, dir.resolve("pulled-" + as));
        return ArtifactTree.unpack(layout, dir.resolve("tree-" + as)).dir();
    }

    private static Map<String, Object> object(Path file) throws IOException {
        return Yaml.readMap(Files.readString(file), file.toString());
    }
}
