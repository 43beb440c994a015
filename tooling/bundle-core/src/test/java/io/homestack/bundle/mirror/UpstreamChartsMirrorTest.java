package io.homestack.bundle.mirror;

import com.marcnuri.helm.Helm;
import io.homestack.bundle.hydrate.LocalChart;
import io.homestack.bundle.hydrate.Hydrator;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.testsupport.TestTools;
import io.homestack.testsupport.TestBinariesDir;
import io.homestack.bundle.oci.LocalRegistry;
import io.homestack.bundle.oci.LocalRegistryExtension;
import io.homestack.bundle.oci.MediaTypes;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.PushResult;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.render.ChartApplications;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every upstream chart the repository's bundles pin, mirrored for real: taken from the chart directory that
 * {@code tooling/k8s-test-binaries/charts.sh} fills from the projects' Go modules at the pinned version, pushed in
 * Helm's OCI format to a real registry, then pulled and rendered by Helm from there with the bundle's own merged values
 * for each environment (what Argo CD's repo-server does). A pinned chart that cannot be had here is skipped by name
 * as NOT VERIFIED, never dropped silently.
 */
@ExtendWith(LocalRegistryExtension.class)
class UpstreamChartsMirrorTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
    private static final Path CHARTS = TestBinariesDir.get().resolve("charts");

    private static LocalRegistry registry;

    @TempDir
    static Path work;

    @BeforeAll
    static void start(LocalRegistry started) {
        registry = started;
    }

    @TestFactory
    Stream<DynamicTest> everyPinnedChartMirrorsAndRendersFromTheMirror() throws IOException {
        List<Path> bundles;
        try (Stream<Path> dirs = Files.list(ROOT)) {
            bundles = dirs.filter(Files::isDirectory).flatMap(UpstreamChartsMirrorTest::children)
                    .filter(d -> Files.isRegularFile(d.resolve(Bundle.DESCRIPTOR))).sorted().toList();
        }
        assertThat(bundles).as("bundles under " + ROOT).isNotEmpty();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : bundles) {
            Bundle bundle = Bundle.load(dir);
            for (ChartSpec chart : bundle.descriptor().charts()) {
                tests.add(DynamicTest.dynamicTest(bundle.name() + "/" + chart.name() + " " + chart.version(),
                        () -> mirrorAndRender(bundle, chart)));
            }
        }
        assertThat(tests).as("charts pinned by the bundles").isNotEmpty();
        return tests.stream();
    }

    private static void mirrorAndRender(Bundle bundle, ChartSpec chart) throws IOException {
        if (!Files.isDirectory(CHARTS)) {
            throw TestTools.missing("no chart directory " + CHARTS + ": run tooling/k8s-test-binaries/charts.sh");
        }
        LocalChart local = LocalChart.find(List.of(CHARTS), bundle.name(), chart);
        if (local == null) {
            String why = "NOT VERIFIED: chart " + bundle.name() + "/" + chart.name() + " " + chart.version()
                    + " is not available here at its pinned version (charts.sh says why); it is not mirrored by this test";
            System.out.println("[mirror] " + why);
            Assumptions.abort(why);
        }

        byte[] archive = local.archive(work.resolve("package"), Instant.parse("2026-01-01T00:00:00Z"));
        OciLayout layout = HelmChartArtifact.write(local, archive, work.resolve("layouts").resolve(chart.name()));
        PushResult pushed = RegistryClient.builder(registry.target("mirror")).build()
                .push(layout, "charts/" + chart.chartName());
        assertThat(layout.manifest().config().mediaType()).isEqualTo(MediaTypes.HELM_CONFIG);
        assertThat(pushed.tag()).isEqualTo(chart.version());

        for (String env : bundle.descriptor().environments()) {
            if (!chart.appliesTo(env)) {
                continue;
            }
            Path values = work.resolve(bundle.name() + "-" + chart.name() + "-" + env + ".json");
            Files.writeString(values, ArtifactTreeWriter.JSON.writeValueAsString(
                    new ChartApplications().values(bundle, chart, env)));
            String rendered = Helm.template("oci://" + registry.address() + "/mirror/charts/" + chart.chartName())
                    .withVersion(chart.version()).plainHttp().withName(chart.helmReleaseName())
                    .withNamespace(chart.namespace()).withKubeVersion(Hydrator.KUBE_VERSION).withValuesFile(values)
                    .call();
            // a workload (the device plugin's chart has only DaemonSets)
            assertThat(rendered).as(chart.name() + " rendered from the mirror for " + env)
                    .containsPattern("(?m)^kind: (Deployment|DaemonSet|StatefulSet)$");
            // bundle.yaml's images of the chart feed the release manifest: they must name every image it runs
            List<KubeObject> objects = Yaml.readAll(rendered, chart.name() + " " + chart.version()).stream()
                    .filter(d -> d != null && d.containsKey("kind")).map(d -> new KubeObject(d, chart.name())).toList();
            assertThat(chart.images()).as("%s/%s %s: bundle.yaml's images vs what the chart renders for %s",
                    bundle.name(), chart.name(), chart.version(), env).containsAll(PodSpecs.images(objects));
        }
        System.out.println("[mirror] verified: chart " + bundle.name() + "/" + chart.name() + " " + chart.version()
                + " from " + local.path() + " -> " + pushed.pinnedReference() + ", rendered by Helm from the mirror");
    }

    private static Stream<Path> children(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }
}
