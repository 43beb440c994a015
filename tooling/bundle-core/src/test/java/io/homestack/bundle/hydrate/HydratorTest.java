package io.homestack.bundle.hydrate;

import com.marcnuri.helm.Helm;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.TestBundles;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.validate.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.homestack.bundle.hydrate.HydrateFixtures.CHART_VERSION;
import static io.homestack.bundle.hydrate.HydrateFixtures.bundleDir;
import static io.homestack.bundle.hydrate.HydrateFixtures.chartsDir;
import static io.homestack.bundle.hydrate.HydrateFixtures.copy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real Helm (helm-java, in-process) on the test chart in src/test/resources/hydrate. */
class HydratorTest {

    @TempDir
    Path dir;

    private HydratedBundle hydrate(Path bundle, Path charts) {
        return new Hydrator(ChartSource.directory(charts), BundleLog.SILENT).hydrate(Bundle.load(bundle), dir.resolve("work"));
    }

    private static KubeObject find(List<KubeObject> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.kind()) && name.equals(o.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + objects.stream().map(KubeObject::describe).toList()));
    }

    @Test
    void rendersEveryEnvironmentWithItsMergedValuesNamespaceReleaseAndKubernetes135() {
        HydratedBundle hydrated = hydrate(bundleDir(), chartsDir());

        assertThat(hydrated.environments()).containsOnlyKeys("k3d", "k3s");
        assertThat(hydrated.kubeVersion()).isEqualTo("v1.35.0");
        KubeObject k3d = find(hydrated.objects("k3d"), "Deployment", "web");
        KubeObject k3s = find(hydrated.objects("k3s"), "Deployment", "web");
        // values/demo.yaml over the chart's values.yaml, then values/demo-k3s.yaml for k3s only.
        assertThat(KubeObject.path(k3d.body(), "spec")).containsEntry("replicas", 2);
        assertThat(KubeObject.path(k3s.body(), "spec")).containsEntry("replicas", 3);
        assertThat(PodSpecs.containers(PodSpecs.of(k3d)).get(0)).doesNotContainKey("env")
                .containsEntry("image", "docker.io/library/nginx:1.27.3");
        assertThat(PodSpecs.containers(PodSpecs.of(k3s)).get(0).get("env"))
                .isEqualTo(List.of(Map.of("name", "FEATURE", "value", "on")));

        Map<String, Object> settings = KubeObject.map(find(hydrated.objects("k3s"), "ConfigMap", "web-settings").body().get("data"));
        assertThat(settings).containsEntry("message", "from the bundle").containsEntry("feature", "true")
                .containsEntry("kubeVersion", "v1.35.0").containsEntry("kubeMinor", "35").containsEntry("api", "new");
        assertThat(KubeObject.map(find(hydrated.objects("k3d"), "ConfigMap", "web-settings").body().get("data")))
                .containsEntry("feature", "false");

        // The template sets no namespace on the Deployment: it gets the chart's, as Argo CD applies it.
        assertThat(k3d.namespace()).isEqualTo("demo");
        assertThat(k3d.labels()).containsEntry("helm.sh/chart", "demo-" + CHART_VERSION)
                .containsEntry("app.kubernetes.io/instance", "web");
        assertThat(k3d.source()).isEqualTo("chart demo 0.3.1: demo/templates/deployment.yaml");

        // crds/ first (Helm applies them before the templates), cluster-scoped, untemplated.
        KubeObject crd = hydrated.objects("k3d").get(0);
        assertThat(crd.kind()).isEqualTo("CustomResourceDefinition");
        assertThat(crd.namespace()).isNull();
        assertThat(crd.source()).isEqualTo("chart demo 0.3.1: demo/crds/widgets.yaml");
        assertThat(hydrated.objects("k3d")).extracting(KubeObject::describe)
                .containsExactly("CustomResourceDefinition widgets.demo.example.com", "ServiceAccount demo/web-check",
                        "ConfigMap demo/web-settings", "Deployment demo/web", "Job demo/web-check");

        HydratedChart chart = hydrated.environments().get("k3s").get(0);
        assertThat(chart.chart().name()).isEqualTo("demo");
        assertThat(chart.location()).isEqualTo(chartsDir().resolve("demo").toString());
        assertThat(hydrated.asRendered().objects("k3s")).hasSize(5);
    }

    @Test
    void helmHooksAreIncludedWithTheirAnnotationsAndMarkedInTheirSource() {
        List<KubeObject> objects = hydrate(bundleDir(), chartsDir()).objects("k3s");

        KubeObject job = find(objects, "Job", "web-check");
        // The hook annotations come from values here (as cert-manager's startupapicheck), the ServiceAccount's from the template.
        assertThat(job.metadata().get("annotations")).isEqualTo(Map.of("helm.sh/hook", "post-install",
                "helm.sh/hook-weight", "1", "helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded"));
        assertThat(job.source()).isEqualTo("chart demo 0.3.1: demo/templates/check.yaml (Helm hook post-install)");
        assertThat(job.namespace()).isEqualTo("demo");
        KubeObject account = find(objects, "ServiceAccount", "web-check");
        assertThat(account.metadata().get("annotations")).isEqualTo(Map.of("helm.sh/hook", "post-install",
                "helm.sh/hook-weight", "-5"));
        assertThat(find(objects, "Deployment", "web").source()).doesNotContain("hook");
        assertThat(objects).allSatisfy(o -> assertThat(Yaml.write(o.body())).doesNotContain(HelmHooks.STAND_IN));
    }

    @Test
    void aYamlNullStaysNull() throws IOException {
        Hydrator hydrator = new Hydrator(ChartSource.directory(chartsDir()), BundleLog.SILENT);
        HydratedBundle hydrated = hydrator.hydrate(Bundle.load(bundleDir()), dir.resolve("work"));

        Map<String, Object> spec = KubeObject.path(find(hydrated.objects("k3s"), "Job", "web-check").body(), "spec");
        assertThat(spec).containsKey("activeDeadlineSeconds");
        assertThat(spec.get("activeDeadlineSeconds")).isNull();
        hydrator.write(hydrated, dir.resolve("hydrated"));
        assertThat(dir.resolve("hydrated/k3s/demo/job-web-check.yaml")).content().contains("activeDeadlineSeconds: null\n");
    }

    @Test
    void everyImageTheRenderedChartRunsMustBeInTheChartsImagesList() throws IOException {
        Path bundle = copy(bundleDir(), dir.resolve("bundle"));
        Files.writeString(bundle.resolve("bundle.yaml"), Files.readString(bundle.resolve("bundle.yaml"))
                .replace("      - docker.io/library/busybox:1.37.0\n", ""));

        assertThatThrownBy(() -> hydrate(bundle, chartsDir()))
                .isInstanceOf(BundleException.class)
                .hasMessage("[hydrate-demo] chart 'demo' 0.3.1 (k3d): bundle.yaml charts[demo].images does not list 1"
                        + " image(s) the rendered chart runs: docker.io/library/busybox:1.37.0; add them (the release"
                        + " manifest lists exactly these images)");
    }

    @Test
    void writesOneFilePerObjectPerEnvironmentAndChartReplacingThePreviousTree() throws IOException {
        Hydrator hydrator = new Hydrator(ChartSource.directory(chartsDir()), BundleLog.SILENT);
        Path target = dir.resolve("target/hydrated");
        Files.createDirectories(target.resolve("k3d/removed-chart"));
        Files.writeString(target.resolve(HydratedTree.MARKER), "from an earlier run\n");

        hydrator.write(hydrator.hydrate(Bundle.load(bundleDir()), dir.resolve("work")), target);

        try (Stream<Path> files = Files.walk(target)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> target.relativize(p).toString()).sorted())
                    .containsExactly(".hydrated",
                            "k3d/demo/configmap-web-settings.yaml", "k3d/demo/customresourcedefinition-widgets.demo.example.com.yaml",
                            "k3d/demo/deployment-web.yaml", "k3d/demo/job-web-check.yaml", "k3d/demo/serviceaccount-web-check.yaml",
                            "k3s/demo/configmap-web-settings.yaml", "k3s/demo/customresourcedefinition-widgets.demo.example.com.yaml",
                            "k3s/demo/deployment-web.yaml", "k3s/demo/job-web-check.yaml", "k3s/demo/serviceaccount-web-check.yaml");
        }
        String deployment = Files.readString(target.resolve("k3s/demo/deployment-web.yaml"));
        assertThat(deployment).startsWith("# Source: chart demo 0.3.1: demo/templates/deployment.yaml\n");
        assertThat(Yaml.readMap(deployment, "deployment").get("spec")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("replicas", 3);
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("hydrated");
        }
    }

    @Test
    void neverReplacesADirectoryItDidNotWrite() throws IOException {
        Hydrator hydrator = new Hydrator(ChartSource.directory(chartsDir()), BundleLog.SILENT);
        Path target = Files.createDirectories(dir.resolve("somebodys"));
        Files.writeString(target.resolve("notes.txt"), "mine");
        HydratedBundle hydrated = hydrator.hydrate(Bundle.load(bundleDir()), dir.resolve("work"));

        assertThatThrownBy(() -> hydrator.write(hydrated, target)).isInstanceOf(BundleException.class)
                .hasMessageContaining("has no .hydrated");
        assertThat(target.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void rendersAPackagedChartNamedWithItsVersionIncludingItsCrds() throws IOException {
        Path charts = Files.createDirectories(dir.resolve("packaged"));
        new Helm(chartsDir().resolve("demo")).packageIt().withDestination(charts).call();
        assertThat(charts.resolve("demo-" + CHART_VERSION + ".tgz")).isRegularFile();

        HydratedBundle hydrated = hydrate(bundleDir(), charts);

        assertThat(hydrated.environments().get("k3s").get(0).location()).endsWith("demo-0.3.1.tgz");
        assertThat(hydrated.objects("k3s")).extracting(KubeObject::describe)
                .containsExactly("CustomResourceDefinition widgets.demo.example.com", "ServiceAccount demo/web-check",
                        "ConfigMap demo/web-settings", "Deployment demo/web", "Job demo/web-check");
        assertThat(find(hydrated.objects("k3s"), "Job", "web-check").source()).endsWith("(Helm hook post-install)");
        assertThat(hydrated.objects("k3s").get(0).source()).isEqualTo("chart demo 0.3.1: demo/crds/widgets.yaml");
    }

    @Test
    void aChartWhoseChartYamlIsNotThePinnedVersionIsAClearError() {
        Path bundle = TestBundles.in(dir.resolve("bundle"))
                .file("bundle.yaml", """
                        name: hydrate-demo
                        group: workloads
                        charts:
                          - name: demo
                            repository: https://charts.example.test
                            version: 0.2.0
                            namespace: demo
                        """)
                .file("values/demo.yaml", "{}\n").dir();

        assertThatThrownBy(() -> hydrate(bundle, chartsDir()))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("[hydrate-demo] chart 'demo' 0.2.0: bundle.yaml pins version 0.2.0 but ")
                .hasMessageContaining(chartsDir().resolve("demo/Chart.yaml") + " has version 0.3.1");
    }

    @Test
    void aChartMissingFromTheChartsDirectoryIsAClearError() throws IOException {
        Path charts = Files.createDirectories(dir.resolve("charts"));
        Files.writeString(charts.resolve("demo-0.2.0.tgz"), "an older pull");

        assertThatThrownBy(() -> hydrate(bundleDir(), charts))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("[hydrate-demo] chart 'demo' 0.3.1 is not in the charts directory " + charts)
                .hasMessageContaining("expected demo-0.3.1.tgz or demo/ (found demo-0.2.0.tgz)")
                .hasMessageContaining("Charts are not vendored")
                .hasMessageContaining("helm pull demo --repo https://charts.example.test --version 0.3.1 -d " + charts);
    }

    @Test
    void aTemplateErrorIsHelmsMessageWithBundleChartEnvironmentAndValues() throws IOException {
        Path charts = dir.resolve("broken");
        copy(chartsDir(), charts);
        Files.writeString(charts.resolve("demo/templates/secret.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: {{ .Release.Name }}-password
                stringData:
                  password: {{ required "demo needs .Values.password" .Values.password }}
                """);

        assertThatThrownBy(() -> hydrate(bundleDir(), charts))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("[hydrate-demo] chart 'demo' 0.3.1 (k3d): helm template failed: ")
                .hasMessageContaining("demo/templates/secret.yaml")
                .hasMessageContaining("demo needs .Values.password")
                .hasMessageContaining("values: values/demo.yaml merged with values/demo-k3d.yaml")
                .hasMessageContaining("namespace: demo, release: web, Kubernetes v1.35.0")
                .hasMessageNotContaining("--debug");
    }

    @Test
    void withoutAnExplicitKubernetesVersionTheChartsConstraintWouldFail() {
        // Shows why KUBE_VERSION is passed: the chart requires >=1.30 and offline Helm would assume v1.20.0.
        assertThatThrownBy(() -> new Hydrator(ChartSource.directory(chartsDir()), "v1.20.0", BundleLog.SILENT)
                .hydrate(Bundle.load(bundleDir()), dir.resolve("work")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("helm template failed")
                .hasMessageContaining("kubeVersion");
    }

    @Test
    void reportsPoliciesOfChartObjectsWithoutFailing() {
        Hydrator hydrator = new Hydrator(ChartSource.directory(chartsDir()), BundleLog.SILENT);
        HydratedBundle hydrated = hydrator.hydrate(Bundle.load(bundleDir()), dir.resolve("work"));

        List<Violation> report = hydrator.policyReport(hydrated, null);

        assertThat(report).isNotEmpty().allSatisfy(v -> assertThat(v.file()).startsWith("chart demo 0.3.1: "));
        assertThat(report).anySatisfy(v -> {
            assertThat(v.environment()).isEqualTo("k3s");
            assertThat(v.object()).isEqualTo("Deployment demo/web");
            assertThat(v.rule()).isEqualTo("workload-hardening");
            assertThat(v.message()).contains("livenessProbe");
        });
        assertThat(report).noneMatch(v -> v.rule().equals("structure"));
    }
}
