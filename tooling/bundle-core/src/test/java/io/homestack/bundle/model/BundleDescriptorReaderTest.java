package io.homestack.bundle.model;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.TestBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleDescriptorReaderTest {

    @TempDir
    Path dir;

    private BundleDescriptor read(String yaml) {
        return new BundleDescriptorReader().read(TestBundles.in(dir).file("bundle.yaml", yaml).dir().resolve("bundle.yaml"));
    }

    @Test
    void readsAFullDescriptor() {
        BundleDescriptor d = read("""
                name: storage
                description: StorageClasses
                group: platform
                namespaces: [storage]
                environments: [k3d, k3s]
                charts:
                  - name: csi-driver-nfs
                    repository: https://charts.example.test/csi
                    version: 4.11.0
                    namespace: kube-system
                    environments: [k3s]
                    images:
                      - registry.k8s.io/sig-storage/nfsplugin:v4.11.0
                """);
        assertThat(d.name()).isEqualTo("storage");
        assertThat(d.charts()).singleElement().satisfies(c -> {
            assertThat(c.chartName()).isEqualTo("csi-driver-nfs");
            assertThat(c.helmReleaseName()).isEqualTo("csi-driver-nfs");
            assertThat(c.appliesTo("k3s")).isTrue();
            assertThat(c.appliesTo("k3d")).isFalse();
            assertThat(c.images()).containsExactly("registry.k8s.io/sig-storage/nfsplugin:v4.11.0");
        });
        assertThat(d.chartsFor("k3d")).isEmpty();
    }

    @Test
    void defaultsToEveryEnvironment() {
        assertThat(read("name: media\ngroup: workloads\n").environments()).containsExactly("k3d", "k3s");
    }

    @Test
    void unknownKeyNamesTheKeyTheLineAndTheKnownKeys() {
        assertThatThrownBy(() -> read("name: media\ngroup: workloads\nnamespace: media\n"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("bundle.yaml line 3")
                .hasMessageContaining("unknown key 'namespace'")
                .hasMessageContaining("namespaces");
    }

    @Test
    void unknownKeyInAChartIsAnErrorToo() {
        assertThatThrownBy(() -> read("""
                name: media
                group: workloads
                charts:
                  - name: x
                    repo: https://x
                """))
                .hasMessageContaining("line 5").hasMessageContaining("unknown key 'repo'").hasMessageContaining("charts[0]");
    }

    @Test
    void wrongTypeSaysWhatWasExpected() {
        assertThatThrownBy(() -> read("name: media\ngroup: workloads\nnamespaces: media\n"))
                .hasMessageContaining("line 3").hasMessageContaining("'namespaces' must be a list");
    }

    @Test
    void malformedYamlNamesTheLine() {
        assertThatThrownBy(() -> read("name: media\ngroup: [workloads\n"))
                .isInstanceOf(BundleException.class).hasMessageContaining("bundle.yaml line");
    }

    @Test
    void unpinnedChartImageIsRejected() {
        assertThatThrownBy(() -> read("""
                name: media
                group: workloads
                charts:
                  - {name: x, repository: https://x, version: 1.0.0, namespace: x, images: ["ghcr.io/x/y:latest"]}
                """)).hasMessageContaining("charts[0].images[0] 'ghcr.io/x/y:latest' uses 'latest'");
    }

    @Test
    void anOciRepositoryIsWrittenWithoutTheScheme() {
        assertThatThrownBy(() -> read("""
                name: media
                group: workloads
                charts:
                  - {name: x, repository: "oci://quay.io/jetstack/charts", version: "1.2.0", namespace: x}
                """)).hasMessageContaining("charts[0].repository 'oci://quay.io/jetstack/charts'")
                .hasMessageContaining("without oci:// ('quay.io/jetstack/charts')");
    }

    @Test
    void floatingChartVersionIsRejected() {
        assertThatThrownBy(() -> read("""
                name: media
                group: workloads
                charts:
                  - {name: x, repository: https://x, version: "^1.2.0", namespace: x}
                """)).hasMessageContaining("charts[0].version '^1.2.0' is not an exact version");
    }

    @Test
    void missingFieldsAndBadValuesAreAllReported() {
        assertThatThrownBy(() -> read("name: Media\nenvironments: [k3d, kind]\nimages: [nginx]\n"))
                .hasMessageContaining("'name' is 'Media'")
                .hasMessageContaining("'group' is required")
                .hasMessageContaining("unknown environment 'kind'")
                .hasMessageContaining("images[0] 'nginx' has no tag");
    }

    @Test
    void missingFileSaysSo() {
        assertThatThrownBy(() -> new BundleDescriptorReader().read(dir.resolve("bundle.yaml")))
                .hasMessageContaining("bundle.yaml: not found");
    }

    @Test
    void aBundleYamlLinkedOutOfTheBundleIsNamedAndNeverEchoed() throws Exception {
        Path outside = TestBundles.in(dir).file("elsewhere/passwd", "root:x:0:0:root:/root:/bin/bash\n").dir()
                .resolve("elsewhere/passwd");
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.createSymbolicLink(bundle.resolve("bundle.yaml"), outside);
        assertThatThrownBy(() -> new BundleDescriptorReader().read(bundle.resolve("bundle.yaml")))
                .isInstanceOf(BundleException.class)
                .hasMessage(bundle.resolve("bundle.yaml") + ": is a symbolic link to " + outside.toRealPath()
                        + ", outside the bundle directory; homestack reads nothing outside it (copy the file in)");
    }

    @Test
    void errorsNeverQuoteTheFileOrNameParserInternals() {
        assertThatThrownBy(() -> read("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1\n"))
                .hasMessageEndingWith("bundle.yaml: must be a YAML mapping (name: ..., group: ...)")
                .hasMessageNotContaining("root:x");
        assertThatThrownBy(() -> read("name: media\ngroup: workloads\ncharts: [{name: x, version: {a: 1}}]\n"))
                .hasMessageContaining("line 3").hasMessageContaining("'charts[0].version' must be a string")
                .hasMessageNotContaining("java.").hasMessageNotContaining("reference chain")
                .hasMessageNotContaining("ChartSpec");
        assertThatThrownBy(() -> read("name: media\ngroup: workloads\ncharts: 3\n"))
                .hasMessageContaining("'charts' must be a list").hasMessageNotContaining("ArrayList");
        assertThatThrownBy(() -> read("name: media\ngroup: workloads\n  secret: hunter2: x\n"))
                .hasMessageContaining("bundle.yaml line 3, column").hasMessageContaining("not valid YAML")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void intentionallyEmptyEnvironmentsAreSupportedOnes() {
        assertThat(read("name: x\ngroup: platform\nintentionallyEmpty: [k3d]\n").intentionallyEmpty()).containsExactly("k3d");
        assertThatThrownBy(() -> read("name: x\ngroup: platform\nenvironments: [k3s]\nintentionallyEmpty: [k3d]\n"))
                .hasMessageContaining("intentionallyEmpty has 'k3d' which the bundle does not support");
    }

    @Test
    void imageReferences() {
        assertThat(ImageReference.problem("ghcr.io/a/b:1.2.3")).isNull();
        assertThat(ImageReference.problem("localhost:5000/a/b@sha256:abc")).isNull();
        assertThat(ImageReference.problem("localhost:5000/a/b")).contains("has no tag");
        assertThat(ImageReference.problem("a/b:latest")).contains("latest");
    }
}
