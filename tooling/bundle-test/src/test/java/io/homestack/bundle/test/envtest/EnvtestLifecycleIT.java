package io.homestack.bundle.test.envtest;

import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.Topology;
import io.homestack.bundle.test.internal.ClusterPlan;
import io.homestack.bundle.test.internal.TestBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting and stopping envtest: side by side with the shared cluster, clean stop, failures that show the log. */
@HomestackCluster
class EnvtestLifecycleIT {

    @Test
    void aSecondControlPlaneRunsBesideTheSharedOneAndStopsCleanly(TestCluster shared) throws IOException {
        TestBinaries binaries = TestBinaries.locate();
        EnvtestCluster second = EnvtestCluster.start(ClusterPlan.of(ClusterKind.ENVTEST, "k3d", true),
                Topology.named("k3d", binaries.repo()), binaries, true);
        int port;
        List<Long> pids;
        Path logs;
        try {
            port = second.apiServerPort();
            pids = second.pids();
            logs = second.logDir().orElseThrow();
            assertThat(port).isNotEqualTo(shared.client().getMasterUrl().getPort());
            assertThat(second.version()).isEqualTo(shared.version());
            assertThat(second.client().apiextensions().v1().customResourceDefinitions().withName(
                    "virtualservices.networking.istio.io").get()).isNotNull();
            assertThat(second.startTime()).isPositive();
        } finally {
            second.close();
        }
        assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(
                java.util.Optional.of(true)));
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(ConnectException.class);
        assertThat(logs.resolve("etcd.log")).isNotEmptyFile();
        assertThat(logs.resolve("kube-apiserver.log")).isNotEmptyFile();
        assertThat(logs.getParent().resolve("etcd-data")).doesNotExist();
        assertThat(shared.client().namespaces().withName("default").get()).isNotNull();
    }

    @Test
    void anApiServerThatFailsToStartIsReportedWithTheTailOfItsLog(@TempDir Path dir) throws IOException {
        TestBinaries fake = TestBinaries.inDirectory(dir);
        Files.createDirectories(fake.binDir());
        Files.createSymbolicLink(fake.binary("etcd"), TestBinaries.locate().binary("etcd"));
        Path apiserver = Files.writeString(fake.binary("kube-apiserver"),
                "#!/bin/sh\necho 'I1126 starting'\necho 'E1126 run.go:72] \"command failed\" err=\"fake failure for the test\"'\nexit 1\n");
        assertThat(apiserver.toFile().setExecutable(true)).isTrue();

        assertThatThrownBy(() -> EnvtestCluster.start(ClusterPlan.of(ClusterKind.ENVTEST, "k3d", true),
                Topology.named("k3d", fake.repo()), fake, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("kube-apiserver failed to start: kube-apiserver exited with code 1; last lines of ")
                .hasMessageContaining("kube-apiserver.log:")
                .hasMessageContaining("err=\"fake failure for the test\"")
                .hasMessageContaining("etcd (pid ");
    }
}
