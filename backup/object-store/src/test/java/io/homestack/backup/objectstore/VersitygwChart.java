package io.homestack.backup.objectstore;

import com.marcnuri.helm.Helm;
import io.homestack.bundle.hydrate.Hydrator;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.render.ChartApplications;
import io.homestack.bundle.test.release.ReleaseHarness;
import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The versitygw chart at the pinned version (charts.sh's cache: chart/ of the Go module github.com/versity/versitygw),
 * rendered in-process by Helm as Argo CD's repo-server renders the Application: the bundle's merged values, the release
 * name and namespace of bundle.yaml.
 */
final class VersitygwChart {

    static final Bundle BUNDLE = Bundle.load(Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath()
            .normalize());
    static final ChartSpec CHART = BUNDLE.descriptor().charts().stream().filter(c -> c.name().equals("versitygw"))
            .findFirst().orElseThrow();

    private VersitygwChart() {
    }

    /** The bundle's merged values for one environment (values/versitygw.yaml + values/versitygw-ENV.yaml). */
    static Map<String, Object> values(String env) {
        return new ChartApplications().values(BUNDLE, CHART, env);
    }

    /** The chart's objects for these values; Helm's error (e.g. a chart `fail`) as an exception. */
    static List<KubeObject> render(Map<String, Object> values, String env, Path work) throws IOException {
        Path dir = chartDirectory();
        Path valuesFile = Files.createTempFile(work, "versitygw-" + env, ".json");
        Files.writeString(valuesFile, ArtifactTreeWriter.JSON.writeValueAsString(values));
        String rendered = new Helm(dir).template().withName(CHART.helmReleaseName()).withNamespace(CHART.namespace())
                .withKubeVersion(Hydrator.KUBE_VERSION).withValuesFile(valuesFile).call();
        return Yaml.readAll(rendered, "versitygw " + CHART.version() + " (" + env + ")").stream()
                .filter(Objects::nonNull).filter(d -> d.containsKey("kind")).map(d -> new KubeObject(d, "versitygw"))
                .toList();
    }

    /** The chart in charts.sh's cache; skipped (failed in CI) when it is not there. */
    static Path chartDirectory() {
        Path dir = ReleaseHarness.cacheDirectory("charts", "charts.sh")
                .resolve(CHART.chartName()).resolve(CHART.version()).resolve(CHART.chartName());
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw TestTools.missing("no chart " + CHART.chartName() + " " + CHART.version() + " in " + dir
                    + ": run tooling/k8s-test-binaries/charts.sh");
        }
        return dir;
    }

    static KubeObject find(List<KubeObject> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.kind()) && name.equals(o.name())).findFirst()
                .orElseThrow(() -> new AssertionError("the chart renders no " + kind + " " + name + ": "
                        + objects.stream().map(KubeObject::describe).toList()));
    }
}
