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

    private static final String GIT_REPO = "https://git.example.test/org/demo-config.git";

    private static LocalRegistry registry;
    private static String bundleDigest;
    private static String gitBundleDigest;
    /** A sources directory holding demo-config at v1.0.0, with a .git directory as a clone has. */
    private static Path sources;

    @TempDir
    Path dir;

    @BeforeAll
    static void pushBundleAndRelease(LocalRegistry started, @TempDir Path build) throws IOException {
        registry = started;
        RegistryClient client = RegistryClient.builder(registry.target("homestack")).build();
        OciArtifact built = build(resource("bundle"), "hydrate-demo", build);
        bundleDigest = client.push(OciLayout.read(built.layoutDir()), "hydrate-demo").digest();
        OciArtifact git = build(classpath("/mirror/git-bundle"),
                "git-demo", build);
        gitBundleDigest = client.push(OciLayout.read(git.layoutDir()), "git-demo").digest();

        sources = build.resolve("sources");
        Path tree = Files.createDirectories(sources.resolve("git.example.test/org/demo-config@v1.0.0/deploy/cluster"));
        Files.writeString(tree.resolve("kustomization.yaml"), "resources: [../base]\n");
        Files.createDirectories(tree.resolveSibling("base"));
        Files.writeString(tree.resolveSibling("base").resolve("kustomization.yaml"), "resources: [configmap.yaml]\n");
        Files.writeString(tree.resolveSibling("base").resolve("configmap.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  a: b\n");
        Path dotGit = Files.createDirectories(sources.resolve("git.example.test/org/demo-config@v1.0.0/.git"));
        Files.writeString(dotGit.resolve("HEAD"), "ref: refs/heads/main\n");

        ReleaseSpec spec = new ReleaseSpec("release-k3d", "1.0.0", "k3d", CLUSTER_REGISTRY, "homestack");
        ReleaseComposer.Release release = new ReleaseComposer().compose(spec,
                List.of(new BundleArtifactReader().read(built.manifestBytes(), built.layerFile(), "hydrate-demo"),
                        new BundleArtifactReader().read(git.manifestBytes(), git.layerFile(), "git-demo")));
        new ArtifactTreeWriter().write("release-k3d", Map.of(ReleaseManifest.PATH, release.manifest()),
                Map.of("k3d", release.objects()), build.resolve("release"));
        OciArtifact releaseArtifact = OciLayoutWriter.write(build.resolve("release"),
                ArtifactSpec.of("release-k3d", "1.0.0"), TIMESTAMP, build.resolve("release-oci"));
        client.push(OciLayout.read(releaseArtifact.layoutDir()), "release-k3d");
    }

    private static OciArtifact build(Path module, String name, Path build) {
        Bundle bundle = Bundle.load(module);
        RenderedBundle rendered = new BundleRenderer(BundleLog.SILENT).render(bundle, build.resolve(name + "/work"));
        new ArtifactTreeWriter().write(rendered, BundleMetadata.of(rendered, "1.0.0", List.of()),
                build.resolve(name + "/bundle"));
        return OciLayoutWriter.write(build.resolve(name + "/bundle"), new ArtifactSpec(name, "1.0.0",
                "https://example.test/src", "0123456789abcdef0123456789abcdef01234567", "demo", null), TIMESTAMP,
                build.resolve(name + "/oci"));
    }

    static Path resource(String path) {
        return classpath("/hydrate/" + path);
    }

    static Path classpath(String path) {
        try {
            return Path.of(ChartMirrorTest.class.getResource(path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private MirrorSpec spec(String prefix, List<Path> chartDirectories, List<Path> sourceDirectories,
                            MissingPolicy missing, String out) {
        return new MirrorSpec(registry.target(""), "homestack/release-k3d", "1.0.0", registry.target(prefix),
                CLUSTER_REGISTRY, chartDirectories, sourceDirectories, missing, dir.resolve(out));
    }

    /** Everything available: the chart directory and the sources directory. */
    private MirrorSpec spec(String prefix, String out) {
        return spec(prefix, List.of(resource("charts")), List.of(sources), null, out);
    }

    private MirrorReport mirror(MirrorSpec spec) {
        RegistryClient source = RegistryClient.builder(spec.source()).build();
        RegistryClient target = RegistryClient.builder(spec.mirror()).build();
        return new ChartMirror(spec, source, target, BundleLog.SILENT).run();
    }

    @Test
    void copiesTheChartInHelmsOciFormatAndHelmRendersItFromTheMirror() throws IOException {
        MirrorReport report = mirror(spec("mirror", "out"));

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
        MirrorReport report = mirror(spec("mirror-h", "out"));
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
        MirrorReport report = mirror(spec("mirror", "out"));

        MirrorReport.Artifact bundle = report.bundles().stream().filter(b -> b.name().equals("hydrate-demo"))
                .findFirst().orElseThrow();
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
        MirrorReport first = mirror(spec("mirror-a", "a"));
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
        MirrorReport second = mirror(spec("mirror-b", List.of(copy), List.of(sources), null, "b"));
        assertThat(second.charts().get(0).digest()).isEqualTo(first.charts().get(0).digest());
        assertThat(digest(second, "hydrate-demo")).isNotEqualTo(bundleDigest);
        // Bundles name the chart repository, so another prefix gives another bundle; the same prefix the same one.
        MirrorReport again = mirror(spec("mirror-a", "c"));
        assertThat(again.bundles()).isEqualTo(first.bundles());
        assertThat(again.release().digest()).isEqualTo(first.release().digest());
    }

    @Test
    void policyFailNamesEveryMissingChartAndSourceAndPushesNothing() {
        for (MissingPolicy fail : java.util.Arrays.asList(null, MissingPolicy.FAIL)) {
            assertThatThrownBy(() -> mirror(spec("mirror-none", List.of(dir.resolve("empty")), List.of(), fail, "out")))
                    .isInstanceOf(BundleException.class)
                    .hasMessageContaining("chart hydrate-demo/demo 0.3.1")
                    .hasMessageContaining("Git source git-demo/demo-config " + GIT_REPO + "@v1.0.0")
                    .hasMessageContaining("homestack.mirror.missing=keep");
        }
        RegistryClient target = RegistryClient.builder(registry.target("mirror-none")).build();
        assertThatThrownBy(() -> target.resolve("hydrate-demo", "1.0.0")).hasMessageContaining("not found");
        assertThatThrownBy(() -> target.resolve("git-demo", "1.0.0")).hasMessageContaining("not found");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void theMissingPolicyIsFailKeepOrOmit() {
        assertThat(MissingPolicy.parse(null)).isEqualTo(MissingPolicy.FAIL);
        assertThat(MissingPolicy.parse(" Omit ")).isEqualTo(MissingPolicy.OMIT);
        assertThatThrownBy(() -> MissingPolicy.parse("skip")).isInstanceOf(BundleException.class)
                .hasMessageContaining("'skip'").hasMessageContaining("fail, keep or omit");
    }

    @Test
    void mirroringOntoTheReleasesOwnPrefixIsRefused() {
        assertThatThrownBy(() -> spec("homestack", List.of(), List.of(), null, "out"))
                .isInstanceOf(BundleException.class).hasMessageContaining("would overwrite the release it copies");
    }

    @Test
    void policyKeepLeavesTheUpstreamSourcesAndReportsThem() throws IOException {
        MirrorReport report = mirror(spec("mirror-partial", List.of(), List.of(), MissingPolicy.KEEP, "out"));
        assertThat(report.charts()).isEmpty();
        assertThat(report.sources()).isEmpty();
        assertThat(report.omitted()).isEmpty();
        assertThat(report.missingPolicy()).isEqualTo("keep");
        assertThat(report.missingCharts()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("demo");
            assertThat(m.repository()).isEqualTo("https://charts.example.test");
        });
        assertThat(report.missingSources()).singleElement().satisfies(m -> {
            assertThat(m.application()).isEqualTo("demo-config");
            assertThat(m.repository()).isEqualTo(GIT_REPO);
            assertThat(m.reason()).contains("git.example.test/org/demo-config@v1.0.0/");
        });
        // Nothing to relocate: unpacking and packing again gives the original artifacts byte for byte.
        assertThat(digest(report, "hydrate-demo")).isEqualTo(bundleDigest);
        assertThat(digest(report, "git-demo")).isEqualTo(gitBundleDigest);
        Path tree = unpack("mirror-partial", "hydrate-demo", bundleDigest, "bundle");
        assertThat(KubeObject.path(object(tree.resolve("k3d/application-hydrate-demo-demo.yaml")), "spec", "source"))
                .containsEntry("repoURL", "https://charts.example.test");
    }

    @Test
    void policyOmitRemovesTheApplicationsOfAMissingSourceAndChangesOnlyItsBundleAndTheRelease() throws IOException {
        MirrorReport keep = mirror(spec("mirror-omit-git", List.of(resource("charts")), List.of(), MissingPolicy.KEEP, "keep"));
        MirrorReport omit = mirror(spec("mirror-omit-git", List.of(resource("charts")), List.of(), MissingPolicy.OMIT, "omit"));

        assertThat(omit.missingPolicy()).isEqualTo("omit");
        assertThat(omit.omitted()).singleElement().isEqualTo(new MirrorReport.Omitted("git-demo", "demo-config", null,
                "Git source " + GIT_REPO + "@v1.0.0"));
        assertThat(dir.resolve("omit").resolve(MirrorReport.FILE)).content().contains("\"omitted\" : [")
                .contains("\"application\" : \"demo-config\"");
        assertThat(digest(keep, "git-demo")).isEqualTo(gitBundleDigest);
        assertThat(digest(omit, "git-demo")).isNotEqualTo(gitBundleDigest);
        assertThat(digest(omit, "hydrate-demo")).isEqualTo(digest(keep, "hydrate-demo"));
        assertThat(omit.release().digest()).isNotEqualTo(keep.release().digest());
        Path tree = unpack("mirror-omit-git", "git-demo", digest(omit, "git-demo"), "git");
        for (String env : List.of("k3d", "k3s")) {
            assertThat(tree.resolve(env).resolve("application-demo-config.yaml")).doesNotExist();
        }
    }

    @Test
    void policyOmitRemovesAMissingChartsApplicationAndItsEntriesInBundleAndReleaseJson() throws IOException {
        MirrorReport keep = mirror(spec("mirror-omit-chart", List.of(), List.of(sources), MissingPolicy.KEEP, "keep"));
        MirrorReport omit = mirror(spec("mirror-omit-chart", List.of(), List.of(sources), MissingPolicy.OMIT, "omit"));

        assertThat(omit.omitted()).singleElement().isEqualTo(new MirrorReport.Omitted("hydrate-demo",
                "hydrate-demo-demo", "demo", "chart demo 0.3.1 from https://charts.example.test"));
        assertThat(digest(keep, "hydrate-demo")).isEqualTo(bundleDigest);
        assertThat(digest(omit, "hydrate-demo")).isNotEqualTo(bundleDigest);
        assertThat(digest(omit, "git-demo")).isEqualTo(digest(keep, "git-demo")).isNotEqualTo(gitBundleDigest);
        assertThat(omit.release().digest()).isNotEqualTo(keep.release().digest());

        Path tree = unpack("mirror-omit-chart", "hydrate-demo", digest(omit, "hydrate-demo"), "bundle");
        for (String env : List.of("k3d", "k3s")) {
            assertThat(tree.resolve(env).resolve("application-hydrate-demo-demo.yaml")).doesNotExist();
        }
        assertThat(KubeObject.list(Yaml.readMap(Files.readString(tree.resolve(".homestack/bundle.json")), "bundle.json")
                .get("charts"))).isEmpty();
        Path release = unpack("mirror-omit-chart", "release-k3d", omit.release().digest(), "release");
        Map<String, Object> manifest = Yaml.readMap(Files.readString(release.resolve(".homestack/release.json")), "r");
        assertThat(KubeObject.list(manifest.get("charts"))).isEmpty();
        assertThat(Files.readString(release.resolve(".homestack/release.json"))).contains(digest(omit, "hydrate-demo"));
    }

    @Test
    void aGitSourceIsPushedAsAnArtifactInTheBundlesFormatAndTheApplicationPinsItByDigest() throws IOException {
        MirrorReport report = mirror(spec("mirror-git", "out"));

        MirrorReport.Source source = report.sources().get(0);
        assertThat(report.sources()).hasSize(1);
        assertThat(source.reference()).isEqualTo(registry.address() + "/mirror-git/sources/demo-config:v1.0.0");
        assertThat(source.repository()).isEqualTo(GIT_REPO);
        OciLayout pushed = RegistryClient.builder(registry.target("mirror-git")).build()
                .pull("sources/demo-config", "v1.0.0", dir.resolve("pulled-source"));
        assertThat(pushed.manifestDigest()).isEqualTo(source.digest());
        OciLayout bundle = RegistryClient.builder(registry.target("homestack")).build()
                .pull("git-demo", gitBundleDigest, dir.resolve("pulled-original"));
        assertThat(pushed.manifest().artifactType()).isEqualTo(bundle.manifest().artifactType());
        assertThat(pushed.manifest().config()).isEqualTo(bundle.manifest().config());
        assertThat(pushed.manifest().layers()).singleElement().satisfies(l ->
                assertThat(l.mediaType()).isEqualTo(bundle.manifest().layers().get(0).mediaType()));
        Path tree = ArtifactTree.unpack(pushed, dir.resolve("tree-source")).dir();
        assertThat(tree.resolve("deploy/cluster/kustomization.yaml")).content().isEqualTo("resources: [../base]\n");
        assertThat(tree.resolve("deploy/base/configmap.yaml")).exists();
        assertThat(tree.resolve(".git")).doesNotExist();

        Path relocated = unpack("mirror-git", "git-demo", digest(report, "git-demo"), "git");
        Path original = unpack("homestack", "git-demo", gitBundleDigest, "git-original");
        for (String env : List.of("k3d", "k3s")) {
            Map<String, Object> app = object(relocated.resolve(env).resolve("application-demo-config.yaml"));
            Map<String, Object> before = object(original.resolve(env).resolve("application-demo-config.yaml"));
            Map<String, Object> expected = KubeObject.map(KubeObject.deepCopy(KubeObject.path(before, "spec", "source")));
            expected.put("repoURL", "oci://" + CLUSTER_REGISTRY + "/mirror-git/sources/demo-config");
            expected.put("targetRevision", source.digest());
            assertThat(KubeObject.path(app, "spec", "source")).isEqualTo(expected).containsEntry("path", "deploy/cluster");
            assertThat(KubeObject.path(app, "spec", "source", "kustomize")).isNotEmpty();
            assertThat(KubeObject.path(app, "spec", "destination")).isEqualTo(KubeObject.path(before, "spec", "destination"));
        }
    }

    @Test
    void theSameSourceTreeGivesTheSameDigestWithoutItsGitDirectoryAndAtAnotherTime() throws IOException {
        MirrorReport first = mirror(spec("mirror-src-a", "a"));
        Path copy = dir.resolve("sources-copy");
        Path from = sources.resolve("git.example.test/org/demo-config@v1.0.0");
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.filter(p -> !p.toString().contains(".git")).toList()) {
                Path to = copy.resolve("git.example.test/org/demo-config@v1.0.0").resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                    Files.setLastModifiedTime(to, FileTime.from(Instant.parse("2031-02-03T04:05:06Z")));
                }
            }
        }
        MirrorReport second = mirror(spec("mirror-src-b", List.of(resource("charts")), List.of(copy), null, "b"));
        assertThat(second.sources().get(0).digest()).isEqualTo(first.sources().get(0).digest());

        Files.writeString(copy.resolve("git.example.test/org/demo-config@v1.0.0/deploy/base/configmap.yaml"), "x: y\n");
        MirrorReport changed = mirror(spec("mirror-src-b", List.of(resource("charts")), List.of(copy), null, "c"));
        assertThat(changed.sources().get(0).digest()).isNotEqualTo(first.sources().get(0).digest());
    }

    private static String digest(MirrorReport report, String bundle) {
        return report.bundles().stream().filter(b -> b.name().equals(bundle)).findFirst().orElseThrow().digest();
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
