package io.homestack.bundle.test.envtest;

import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.internal.ClusterPlan;
import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.bundle.TestTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvtestBinariesTest {

    @Test
    void missingBinariesGiveOneMessageWithTheBuildCommand(@TempDir Path dir) throws IOException {
        TestBinaries b = TestBinaries.inDirectory(dir);
        Files.createDirectories(b.binDir());
        Files.writeString(b.binDir().resolve("kwok-stages.yaml"), "---\n");
        ClusterPlan plan = ClusterPlan.of(ClusterKind.ENVTEST, "k3d", false);
        // As in CI, where a missing binary fails (elsewhere the same message skips the tests).
        System.setProperty(TestTools.PROPERTY, "true");
        try {
            assertThatThrownBy(() -> EnvtestBinaries.locate(plan, b))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("envtest binaries missing in " + b.binDir()
                        + ": etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok, sealed-secrets-controller.")
                .hasMessageContaining("Build them once with " + TestBinaries.repoRoot().resolve(TestBinaries.BUILD_SH))
                .hasMessageContaining("-Dhomestack.envtest.components=api")
                .hasMessageContaining("-Dhomestack.envtest.download=true")
                .hasMessageContaining("-Dhomestack.cluster (HOMESTACK_CLUSTER)=k3s|kubeconfig");
        } finally {
            System.clearProperty(TestTools.PROPERTY);
        }
    }

    @Test
    void apiOnlyNeedsJustEtcdAndTheApiServer(@TempDir Path dir) throws IOException {
        TestBinaries b = TestBinaries.inDirectory(dir);
        Files.createDirectories(b.binDir());
        for (String name : EnvtestBinaries.API_BINARIES) {
            Path f = Files.writeString(b.binDir().resolve(name), "#!/bin/sh\n");
            assertThat(f.toFile().setExecutable(true)).isTrue();
        }
        assertThat(EnvtestBinaries.locate(ClusterPlan.of(ClusterKind.ENVTEST, "k3d", true), b)).isEqualTo(b.binDir());
        assertThatThrownBy(() -> EnvtestBinaries.locate(ClusterPlan.of(ClusterKind.ENVTEST, "k3d", false), b))
                .hasMessageContaining(": kube-controller-manager, kube-scheduler, kwok, kwok-stages.yaml, sealed-secrets-controller.");
    }

    @Test
    void theSnapshotKeyFollowsTheVersions(@TempDir Path dir) {
        Snapshot a = Snapshot.forVersions(TestBinaries.inDirectory(dir));
        assertThat(a.dir().getParent()).isEqualTo(dir.resolve("envtest-snapshots"));
        assertThat(a.dir().getFileName().toString()).hasSize(16);
        assertThat(a.usable()).isFalse();
        assertThat(Snapshot.forVersions(TestBinaries.inDirectory(dir)).dir()).isEqualTo(a.dir());
    }
}
