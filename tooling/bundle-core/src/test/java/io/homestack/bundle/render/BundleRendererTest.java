package io.homestack.bundle.render;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.TestBundles;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs the real kustomize (kubectl kustomize) on small bundles. */
class BundleRendererTest {

    @TempDir
    Path dir;

    private TestBundles bundle() {
        return TestBundles.in(dir.resolve("demo"))
                .file("bundle.yaml", """
                        name: demo
                        group: workloads
                        charts:
                          - name: podinfo
                            repository: https://charts.example.test
                            version: 6.7.1
                            namespace: demo
                        """)
                .file("values/podinfo.yaml", "replicaCount: 1\nui:\n  color: blue\n  message: hi\n")
                .file("values/podinfo-k3s.yaml", "replicaCount: 2\nui:\n  color: green\n")
                .file("manifests/base/kustomization.yaml", "resources: [namespace.yaml, configmap.yaml]\n")
                .file("manifests/base/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n")
                .file("manifests/base/configmap.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\ndata:\n  env: base\n")
                .file("manifests/k3s/kustomization.yaml", "resources: [../base]\npatches:\n  - path: settings.yaml\n")
                .file("manifests/k3s/settings.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\ndata:\n  env: k3s\n");
    }

    private RenderedBundle render(TestBundles files) {
        return new BundleRenderer(BundleLog.SILENT).render(Bundle.load(files.dir()), dir.resolve("work"));
    }

    private static KubeObject find(List<KubeObject> objects, String kind, String name) {
        return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void rendersTheOverlayPerEnvironmentAndRemembersTheSourceFile() {
        RenderedBundle rendered = render(bundle());
        KubeObject k3d = find(rendered.objects("k3d"), "ConfigMap", "settings");
        KubeObject k3s = find(rendered.objects("k3s"), "ConfigMap", "settings");
        assertThat(KubeObject.map(k3d.body().get("data"))).containsEntry("env", "base");
        assertThat(KubeObject.map(k3s.body().get("data"))).containsEntry("env", "k3s");
        assertThat(k3d.source()).isEqualTo("manifests/base/configmap.yaml");
        assertThat(k3d.annotations()).doesNotContainKey(Kustomize.ORIGIN);
        assertThat(find(rendered.objects("k3d"), "Namespace", "demo").source()).isEqualTo("manifests/base/namespace.yaml");
    }

    @Test
    void emitsOneApplicationPerChartWithExactVersionAndMergedValues() {
        RenderedBundle rendered = render(bundle());
        KubeObject app = find(rendered.objects("k3s"), "Application", "demo-podinfo");
        assertThat(app.namespace()).isEqualTo("argocd");
        Map<String, Object> source = KubeObject.path(app.body(), "spec", "source");
        assertThat(source).containsEntry("repoURL", "https://charts.example.test")
                .containsEntry("chart", "podinfo").containsEntry("targetRevision", "6.7.1");
        assertThat(KubeObject.path(source, "helm", "valuesObject"))
                .containsEntry("replicaCount", 2)
                .containsEntry("ui", Map.of("color", "green", "message", "hi"));
        assertThat(KubeObject.path(app.body(), "spec")).containsEntry("project", "workloads");
        KubeObject k3dApp = find(rendered.objects("k3d"), "Application", "demo-podinfo");
        assertThat(KubeObject.path(k3dApp.body(), "spec", "source", "helm", "valuesObject")).containsEntry("replicaCount", 1);
    }

    @Test
    void missingValuesFileIsAClearError() throws Exception {
        TestBundles files = bundle();
        Files.delete(files.dir().resolve("values/podinfo.yaml"));
        Files.delete(files.dir().resolve("values/podinfo-k3s.yaml"));
        assertThatThrownBy(() -> render(files)).isInstanceOf(BundleException.class)
                .hasMessageContaining("[demo] chart 'podinfo' has no values file values/podinfo.yaml");
    }

    @Test
    void valuesFileForNoChartIsAClearError() {
        TestBundles files = bundle().file("values/podnifo-k3d.yaml", "{}\n");
        assertThatThrownBy(() -> render(files)).hasMessageContaining("values/podnifo-k3d.yaml matches no chart");
    }

    @Test
    void kustomizeFailureShowsItsOutput() {
        TestBundles files = bundle().file("manifests/k3s/kustomization.yaml", "resources: [../base]\n"
                + "patches:\n  - path: missing.yaml\n");
        assertThatThrownBy(() -> render(files)).isInstanceOf(BundleException.class)
                .hasMessageContaining("[demo] kustomize failed on manifests/k3s")
                .hasMessageContaining("missing.yaml");
    }

    @Test
    void bundleWithoutManifestsHasOnlyItsApplications() throws Exception {
        TestBundles files = TestBundles.in(dir.resolve("charts-only"))
                .file("bundle.yaml", "name: charts-only\ngroup: platform\ncharts:\n"
                        + "  - {name: x, repository: https://x.test, version: 1.0.0, namespace: x}\n")
                .file("values/x.yaml", "{}\n");
        RenderedBundle rendered = render(files);
        assertThat(rendered.objects("k3d")).extracting(KubeObject::kind).containsExactly("Application");
    }

    @Test
    void writesOneObjectPerFileAndMetadata() throws Exception {
        RenderedBundle rendered = render(bundle());
        Path out = dir.resolve("tree");
        new ArtifactTreeWriter().write(rendered, BundleMetadata.of(rendered, "1.0.0", List.of()), out);
        assertThat(out.resolve("k3d/configmap-settings.yaml")).exists();
        assertThat(out.resolve("k3s/application-demo-podinfo.yaml")).exists();
        assertThat(Files.readString(out.resolve(".homestack/bundle.json")))
                .contains("\"name\" : \"demo\"").contains("\"version\" : \"1.0.0\"");
        try (var siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tree"));
        }
    }
}
