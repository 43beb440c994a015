package io.homestack.observability.loki;

import com.marcnuri.helm.Helm;
import io.homestack.bundle.hydrate.Hydrator;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.render.ChartApplications;
import io.homestack.bundle.test.release.ReleaseHarness;
import io.homestack.testsupport.TestTools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Alloy chart at the pinned version (charts.sh's cache: the chart of the Go module github.com/grafana/alloy), rendered
 * in-process by Helm with the bundle's merged values, as Argo CD's repo-server renders it: the pipeline lands unchanged
 * in the ConfigMap Alloy runs, and the pod runs it with the least-privilege ClusterRole.
 */
class AlloyChartTest {

    private static final Path BUNDLE_DIR = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath()
            .normalize();

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theChartRunsThePipelineFromItsConfigMapWithPodsAndLogsOnly(String env) throws IOException {
        Bundle bundle = Bundle.load(BUNDLE_DIR);
        ChartSpec chart = bundle.descriptor().charts().stream().filter(c -> c.name().equals("alloy")).findFirst()
                .orElseThrow();
        Map<String, Object> values = new ChartApplications().values(bundle, chart, env);
        List<KubeObject> objects = render(chart, values, env);

        String content = KubeObject.string(KubeObject.path(values, "alloy", "configMap").get("content"));
        KubeObject configMap = find(objects, "ConfigMap", "alloy");
        Map<String, Object> data = KubeObject.map(configMap.body().get("data"));
        assertThat(data).containsOnlyKeys("config.alloy");
        assertThat(data.get("config.alloy").toString().strip()).as("the chart's tpl leaves the pipeline unchanged"
                + " (it trims the trailing newline)").isEqualTo(content.strip());

        KubeObject deployment = find(objects, "Deployment", "alloy");
        Map<String, Object> pod = KubeObject.path(deployment.body(), "spec", "template", "spec");
        Map<String, Object> alloy = KubeObject.map(KubeObject.list(pod.get("containers")).get(0));
        assertThat(KubeObject.list(alloy.get("args"))).startsWith("run", "/etc/alloy/config.alloy")
                .contains("--disable-reporting", "--stability.level=generally-available");
        assertThat(KubeObject.list(pod.get("volumes"))).anySatisfy(v -> assertThat(KubeObject.path(KubeObject.map(v),
                "configMap")).containsEntry("name", "alloy"));
        assertThat(PodSpecs.images(objects)).as("bundle.yaml lists what the chart runs")
                .containsExactlyInAnyOrderElementsOf(chart.images());

        assertThat(pod).containsEntry("serviceAccountName", "alloy");
        KubeObject binding = find(objects, "ClusterRoleBinding", "alloy");
        assertThat(KubeObject.list(binding.body().get("subjects"))).singleElement().satisfies(s -> assertThat(
                KubeObject.map(s)).containsEntry("name", "alloy").containsEntry("namespace", "observability"));
        List<String> granted = KubeObject.list(find(objects, "ClusterRole", "alloy").body().get("rules")).stream()
                .flatMap(r -> KubeObject.list(KubeObject.map(r).get("resources")).stream()).map(Object::toString)
                .toList();
        assertThat(granted).containsExactlyInAnyOrder("pods", "pods/log", "namespaces");
        assertThat(objects).extracting(KubeObject::kind).as("one Deployment, cluster-wide RBAC")
                .doesNotContain("DaemonSet", "StatefulSet", "Role");
        // The PodLogs CRD sits in the crds subchart's crds/ directory: Argo CD applies it, `helm template` leaves it
        // out, so the render cannot show it. Only loki.source.podlogs would use it.
        assertThat(KubeObject.path(values, "crds")).containsEntry("create", false);
    }

    private List<KubeObject> render(ChartSpec chart, Map<String, Object> values, String env) throws IOException {
        Path dir = ReleaseHarness.cacheDirectory("charts", "charts.sh")
                .resolve(chart.chartName()).resolve(chart.version()).resolve(chart.chartName());
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw TestTools.missing("no chart " + chart.chartName() + " " + chart.version() + " in " + dir
                    + ": run tooling/k8s-test-binaries/charts.sh");
        }
        Path valuesFile = work.resolve("alloy-" + env + ".json");
        Files.writeString(valuesFile, ArtifactTreeWriter.JSON.writeValueAsString(values));
        String rendered = new Helm(dir).template().withName(chart.helmReleaseName()).withNamespace(chart.namespace())
                .withKubeVersion(Hydrator.KUBE_VERSION).withValuesFile(valuesFile).call();
        return Yaml.readAll(rendered, "alloy " + chart.version() + " (" + env + ")").stream()
                .filter(Objects::nonNull).filter(d -> d.containsKey("kind")).map(d -> new KubeObject(d, "alloy"))
                .toList();
    }

    private static KubeObject find(List<KubeObject> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.kind()) && name.equals(o.name())).findFirst()
                .orElseThrow(() -> new AssertionError("the chart renders no " + kind + " " + name + ": "
                        + objects.stream().map(KubeObject::describe).toList()));
    }
}
