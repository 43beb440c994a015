package io.homestack.bundle.test.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real processes stand in for build.sh: a script of that name that moves a binary into place, or does not. */
class PendingBuildTest {

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    private TestBinaries binaries() throws IOException {
        TestBinaries b = TestBinaries.inDirectory(dir);
        Files.createDirectories(b.binDir());
        return b;
    }

    /** Starts {@code dir/build.sh} running {@code body} and records its PID as build.sh does. */
    private Process buildSh(String body) throws IOException {
        Path script = Files.writeString(dir.resolve("build.sh"), "set -e\n" + body + "\n");
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        started.add(p);
        Files.createDirectories(dir.resolve(".work"));
        Files.writeString(dir.resolve(PendingBuild.PID_FILE), p.pid() + "\n");
        return p;
    }

    @Test
    void aMissingBinaryIsAwaitedWhileBuildShRunsAndFoundOnceItIsMovedIntoPlace() throws Exception {
        TestBinaries b = binaries();
        Path jaeger = b.binary("jaeger");
        buildSh("sleep 2; printf '#!/bin/sh\\n' >'" + dir + "/.jaeger'; chmod +x '" + dir + "/.jaeger'; mv '" + dir
                + "/.jaeger' '" + jaeger + "'; sleep 30");
        long t0 = System.nanoTime();
        assertThat(b.missing(List.of("jaeger"))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(1500));
        assertThat(started.get(0).isAlive()).as("found before the build ended").isTrue();
    }

    @Test
    void aBuildThatEndsWithoutTheBinaryLeavesItMissing() throws Exception {
        TestBinaries b = binaries();
        Process build = buildSh("sleep 1");
        assertThat(b.missing(List.of("jaeger", "versitygw"))).containsExactly("jaeger", "versitygw");
        assertThat(build.isAlive()).isFalse();
    }

    @Test
    void noWaitWithoutARunningBuildSh() throws Exception {
        TestBinaries b = binaries();
        assertThat(PendingBuild.running(dir)).isEmpty(); // no PID file
        Process other = new ProcessBuilder("sleep", "30").start(); // a stale PID file's number, reused by another process
        started.add(other);
        Files.createDirectories(dir.resolve(".work"));
        Files.writeString(dir.resolve(PendingBuild.PID_FILE), other.pid() + "\n");
        assertThat(PendingBuild.running(dir)).isEmpty();
        long t0 = System.nanoTime();
        assertThat(b.missing(List.of("jaeger"))).containsExactly("jaeger");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        Files.writeString(dir.resolve(PendingBuild.PID_FILE), "not a pid\n");
        assertThat(PendingBuild.running(dir)).isEmpty();
    }

    @Test
    void aHungBuildFailsTheWaitNamingIt() throws Exception {
        Process build = buildSh("sleep 30");
        ProcessHandle handle = PendingBuild.running(dir).orElseThrow();
        assertThat(handle.pid()).isEqualTo(build.pid());
        assertThatThrownBy(() -> PendingBuild.await(handle, () -> false, Duration.ofMillis(200), "jaeger"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("waited 200 ms for build.sh (pid " + build.pid() + ") to build jaeger; it is still running");
    }
}
