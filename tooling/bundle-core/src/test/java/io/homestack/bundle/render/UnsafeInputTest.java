package io.homestack.bundle.render;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.TestBundles;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Hostile input never reaches an artifact: Secrets in chart values, links and references out of the bundle or the
 * repository, path-hostile kinds, oversized files, empty renders. Runs the real kustomize (kubectl kustomize).
 */
class UnsafeInputTest {

    private static final String OUTSIDE_CONTENT = "password: hunter2\n";

    @TempDir
    Path dir;

    /** A repository (root pom.xml) with a shared component, a bundle at apps/demo and a file outside it all. */
    private TestBundles repository() {
        TestBundles.in(dir).file("outside/secret.yaml", OUTSIDE_CONTENT)
                .file("repo/pom.xml", "<project/>\n")
                .file("repo/platform/shared/components/label/kustomization.yaml",
                        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs: {shared: \"yes\"}\n");
        return TestBundles.in(dir.resolve("repo/apps/demo"))
                .file("bundle.yaml", """
                        name: demo
                        group: workloads
                        charts:
                          - {name: podinfo, repository: https://charts.example.test, version: 6.7.1, namespace: demo}
                        """)
                .file("values/podinfo.yaml", "replicaCount: 1\n")
                .file("manifests/base/kustomization.yaml",
                        "resources: [configmap.yaml]\ncomponents: [../../../../platform/shared/components/label]\n")
                .file("manifests/base/configmap.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\n");
    }

    private RenderedBundle render(TestBundles files) {
        return new BundleRenderer(BundleLog.SILENT).render(Bundle.load(files.dir()), dir.resolve("work"));
    }

    private static void link(Path link, Path target) throws Exception {
        Files.deleteIfExists(link);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, target);
    }

    @Test
    void aSharedComponentOfTheRepositoryIsRead() {
        assertThat(render(repository()).objects("k3d")).filteredOn(o -> "ConfigMap".equals(o.kind())).singleElement()
                .satisfies(cm -> assertThat(cm.labels()).containsEntry("shared", "yes"));
    }

    @Test
    void aSecretInChartValuesFailsWithFilePathAndRule() {
        TestBundles files = repository().file("values/podinfo-k3s.yaml", """
                extraDeploy:
                  - apiVersion: v1
                    kind: ConfigMap
                  - apiVersion: v1
                    kind: Secret
                    stringData: {password: x}
                """);
        assertThatThrownBy(() -> render(files)).isInstanceOf(BundleException.class)
                .hasMessage("[demo] values/podinfo-k3s.yaml (k3s): chart 'podinfo' values at extraDeploy[1]: rule"
                        + " 'no-plaintext-secret': a plaintext Secret object must not be committed, not even for a chart"
                        + " to deploy; seal it (make seal ENV=<env> IN=<file>) and deploy the SealedSecret from manifests/");
    }

    @Test
    void aSecretThatOnlyTheMergeOfTwoValuesFilesMakesNamesBoth() {
        TestBundles files = repository()
                .file("values/podinfo.yaml", "extra:\n  obj: {apiVersion: v1, kind: ConfigMap}\n")
                .file("values/podinfo-k3d.yaml", "extra:\n  obj: {kind: Secret}\n");
        assertThatThrownBy(() -> render(files))
                .hasMessageStartingWith("[demo] values/podinfo.yaml + values/podinfo-k3d.yaml (k3d): chart 'podinfo'"
                        + " values at extra.obj: rule 'no-plaintext-secret'");
    }

    @Test
    void aValuesFileLinkedOutOfTheBundleIsAnErrorNamingTheLink() throws Exception {
        TestBundles files = repository();
        link(files.dir().resolve("values/podinfo.yaml"), dir.resolve("outside/secret.yaml"));
        assertThatThrownBy(() -> render(files)).isInstanceOf(BundleException.class)
                .hasMessageStartingWith("[demo] values/podinfo.yaml: is a symbolic link to ")
                .hasMessageContaining("outside the bundle directory")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aManifestLinkedOutOfTheBundleIsAnErrorEvenInsideTheRepository() throws Exception {
        TestBundles files = repository();
        link(files.dir().resolve("manifests/base/configmap.yaml"), dir.resolve("repo/pom.xml"));
        assertThatThrownBy(() -> render(files))
                .hasMessageStartingWith("[demo] manifests/base/configmap.yaml: is a symbolic link to ");
    }

    @Test
    void aLinkedDirectoryInsideTheBundleIsFollowedToItsLinks() throws Exception {
        TestBundles files = repository().file("shared/ok.yaml", "a: b\n");
        link(files.dir().resolve("shared/leak.yaml"), dir.resolve("outside/secret.yaml"));
        link(files.dir().resolve("manifests/base/shared"), files.dir().resolve("shared"));
        assertThatThrownBy(() -> render(files)).hasMessageContaining("leak.yaml: is a symbolic link to ");
    }

    @Test
    void aLinkInASharedComponentLeavingTheRepositoryIsAnError() throws Exception {
        TestBundles files = repository();
        link(dir.resolve("repo/platform/shared/components/label/patch.yaml"), dir.resolve("outside/secret.yaml"));
        assertThatThrownBy(() -> render(files)).isInstanceOf(BundleException.class)
                .hasMessageStartingWith("[demo] ../../platform/shared/components/label/patch.yaml: is a symbolic link to ")
                .hasMessageContaining("outside the repository");
    }

    @Test
    void aKustomizationReachingOutOfTheRepositoryIsAnError() throws Exception {
        TestBundles files = repository().file("manifests/base/kustomization.yaml",
                "resources: [configmap.yaml, ../../../../../outside]\n");
        Files.writeString(dir.resolve("outside/kustomization.yaml"), "resources: [secret.yaml]\n");
        assertThatThrownBy(() -> render(files))
                .hasMessageStartingWith("[demo] manifests/base/kustomization.yaml: resources entry '../../../../../outside'"
                        + " leads to " + dir.resolve("outside").toRealPath() + ", outside the repository");
    }

    @Test
    void remoteBasesAreNotFetched() {
        TestBundles files = repository().file("manifests/base/kustomization.yaml",
                "resources: [configmap.yaml, \"https://example.test/org/repo//base?ref=v1\"]\n");
        assertThatThrownBy(() -> render(files)).hasMessageContaining(
                "resources entry 'https://example.test/org/repo//base?ref=v1' is not a file or directory here;"
                        + " homestack builds from local files only (no remote bases)");
    }

    @Test
    void aFileNamedAboveItsKustomizationIsRefusedByKustomize() {
        TestBundles files = repository().file("manifests/base/kustomization.yaml",
                "resources: [configmap.yaml]\nconfigMapGenerator:\n  - name: leak\n    files: [../../bundle.yaml]\n");
        assertThatThrownBy(() -> render(files)).hasMessageContaining("kustomize failed on manifests/base")
                .hasMessageContaining("is not in or below");
    }

    @Test
    void anOversizedManifestFailsFastNamingTheFile() {
        TestBundles files = repository().file("manifests/base/big.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: demo}\ndata:\n  a: "
                        + "x".repeat(2 * 1024 * 1024) + "\n");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> render(files))
                .hasMessage("[demo] manifests/base/big.yaml: 2097234 bytes is more than the 1048576 bytes an input file"
                        + " may have (1 MiB)"));
    }

    @Test
    void anEmptyEnvironmentIsAnErrorUnlessDeclared() {
        TestBundles files = TestBundles.in(dir.resolve("empty")).file("bundle.yaml", "name: empty\ngroup: platform\n");
        assertThatThrownBy(() -> render(files)).hasMessage("[empty] renders no objects for k3d (no manifests/k3d or"
                + " manifests/base kustomization, no chart for k3d); if that is intended, say so in bundle.yaml:"
                + " intentionallyEmpty: [k3d]");
        files.file("bundle.yaml", "name: empty\ngroup: platform\nintentionallyEmpty: [k3d, k3s]\n");
        assertThat(render(files).environments()).containsOnlyKeys("k3d", "k3s").allSatisfy((env, o) -> assertThat(o).isEmpty());
        files.file("bundle.yaml", "name: empty\ngroup: platform\nintentionallyEmpty: [k3s]\n")
                .file("manifests/k3s/kustomization.yaml", "resources: [cm.yaml]\n")
                .file("manifests/k3s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: y}\n");
        assertThatThrownBy(() -> render(files)).hasMessageContaining("[empty] renders no objects for k3d");
        files.file("bundle.yaml", "name: empty\ngroup: platform\nenvironments: [k3s]\nintentionallyEmpty: [k3s]\n");
        assertThatThrownBy(() -> render(files)).hasMessage("[empty] bundle.yaml says k3s is intentionallyEmpty, but it"
                + " renders 1 object there; remove k3s from intentionallyEmpty");
    }

    @Test
    void aPathHostileKindNeverWritesOutsideTheTree() throws Exception {
        Path target = dir.resolve("a/b/target/bundle");
        for (String kind : List.of("../../../../escaped", "..", "Config/Map")) {
            KubeObject hostile = new KubeObject(Yaml.readMap("apiVersion: v1\nkind: \"" + kind + "\"\n"
                    + "metadata: {name: x, namespace: y}\n", "t"), "manifests/base/x.yaml");
            assertThatThrownBy(() -> new ArtifactTreeWriter().write("demo", Map.of(), Map.of("k3d", List.of(hostile)), target))
                    .isInstanceOf(BundleException.class)
                    .hasMessage("[demo] manifests/base/x.yaml: kind '" + kind + "' is not a Kubernetes kind (letters and"
                            + " digits); it would name the object's file (k3d)");
        }
        KubeObject badName = new KubeObject(Yaml.readMap("apiVersion: v1\nkind: ConfigMap\n"
                + "metadata: {name: ../../../../escaped, namespace: y}\n", "t"), "manifests/base/x.yaml");
        assertThatThrownBy(() -> new ArtifactTreeWriter().write("demo", Map.of(), Map.of("k3d", List.of(badName)), target))
                .hasMessageContaining("metadata.name '../../../../escaped' is not a valid object name");
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("escaped"));
        }
        assertThat(target).doesNotExist();
    }
}
