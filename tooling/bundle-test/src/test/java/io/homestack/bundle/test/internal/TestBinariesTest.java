package io.homestack.bundle.test.internal;

import io.homestack.testsupport.TestTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestBinariesTest {

    @Test
    void parsesVersionsEnv() {
        Map<String, String> v = TestBinaries.parseVersions(List.of("# comment", "", "K8S_VERSION=v1.35.4",
                " CRD_ARGO_CD_VERSION = v3.6.1 ", "SEALED_SECRETS_VERSION=v0.40.0"), "versions.env");
        assertThat(v).containsExactly(Map.entry("K8S_VERSION", "v1.35.4"), Map.entry("CRD_ARGO_CD_VERSION", "v3.6.1"),
                Map.entry("SEALED_SECRETS_VERSION", "v0.40.0"));
        assertThatThrownBy(() -> TestBinaries.parseVersions(List.of("K8S_VERSION v1"), "versions.env"))
                .hasMessage("versions.env:1: expected KEY=value, got 'K8S_VERSION v1'");
    }

    @Test
    void laysOutBinariesAndCrdsLikeBuildSh(@TempDir Path dir) {
        TestBinaries b = new TestBinaries(Path.of("/repo"), Map.of("K8S_VERSION", "v1.35.4", "SEALED_SECRETS_VERSION", "v0.40.0",
                "CRD_PROMETHEUS_OPERATOR_VERSION", "v0.85.0", "CRD_ARGO_CD_VERSION", "v3.6.1", "KWOK_VERSION", "v0.8.0"), dir);
        assertThat(b.binDir()).isEqualTo(dir.resolve("k8s/1.35.4-" + TestBinaries.os() + "-" + TestBinaries.arch()));
        assertThat(b.crdSets()).extracting(TestBinaries.CrdSet::project, TestBinaries.CrdSet::version)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("sealed-secrets", "v0.40.0"),
                        org.assertj.core.groups.Tuple.tuple("prometheus-operator", "v0.85.0"),
                        org.assertj.core.groups.Tuple.tuple("argo-cd", "v3.6.1"));
        assertThat(b.crdSets()).allSatisfy(s -> assertThat(s.dir()).isEqualTo(dir.resolve("crds/" + s.project() + "/" + s.version())));
    }

    @Test
    void findsTheRepositoryFromTheWorkingDirectory() {
        Path root = TestBinaries.repoRoot();
        assertThat(root.resolve(TestBinaries.VERSIONS_ENV)).isRegularFile();
        assertThat(TestBinaries.locate().kubernetesVersion()).startsWith("v1.");
    }

    @Test
    void missingCrdsAreAMissingTestToolSkippedOutsideCiAndFailingInCi(@TempDir Path dir) {
        assertThatThrownBy(() -> Crds.fromCache(TestBinaries.inDirectory(dir)))
                .isInstanceOf(TestTools.required() ? IllegalStateException.class : TestAbortedException.class);
        System.setProperty(TestTools.PROPERTY, "true");
        try {
            assertThatThrownBy(() -> Crds.fromCache(TestBinaries.inDirectory(dir)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("In CI mode");
        } finally {
            System.clearProperty(TestTools.PROPERTY);
        }
    }

    @Test
    void missingCrdsNameTheSetAndTheBuildCommand(@TempDir Path dir) {
        assertThatThrownBy(() -> Crds.fromCache(TestBinaries.inDirectory(dir)))
                .hasMessageStartingWith("upstream CRDs missing from the CRD cache: sealed-secrets v")
                .hasMessageContaining("build.sh crds");
    }
}
