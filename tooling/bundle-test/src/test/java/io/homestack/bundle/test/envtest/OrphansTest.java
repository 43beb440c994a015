package io.homestack.bundle.test.envtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A run whose JVM was killed leaves processes behind; the next run stops them, and only them. */
class OrphansTest {

    @Test
    void processesOfADeadRunAreStoppedThoseOfALiveRunAreNot(@TempDir Path root) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(5, TimeUnit.SECONDS);
        Process orphan = hang(root.resolve("20260101-000000-" + gone.pid() + "-k3d"));
        Process live = hang(root.resolve("20260101-000000-" + ProcessHandle.current().pid() + "-k3s"));
        assertOnlyTheDeadRunsProcessStops(root, orphan, live);
    }

    /** Argo CD gets its run directory in the environment, redis rewrites its title: the pids file names them. */
    @Test
    void processesRecordedByADeadRunAreStoppedThoughTheirCommandLineDoesNotNameIt(@TempDir Path root) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(5, TimeUnit.SECONDS);
        Path deadRun = Files.createDirectories(root.resolve("20260101-000000-" + gone.pid() + "-k3d"));
        Path liveRun = Files.createDirectories(root.resolve("20260101-000000-" + ProcessHandle.current().pid() + "-k3s"));
        Process orphan = new ProcessBuilder("sleep", "600").start();
        Process live = new ProcessBuilder("sleep", "600").start();
        RunDirectory.recordPid(deadRun, orphan.pid());
        RunDirectory.recordPid(liveRun, live.pid());
        assertOnlyTheDeadRunsProcessStops(root, orphan, live);
    }

    private static void assertOnlyTheDeadRunsProcessStops(Path root, Process orphan, Process live) throws InterruptedException {
        try {
            RunDirectory.stopOrphans(root);
            assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).as("the dead run's process is stopped").isTrue();
            assertThat(live.isAlive()).as("the live run's process is left alone").isTrue();
        } finally {
            orphan.destroyForcibly();
            live.destroyForcibly();
        }
    }

    private static Process hang(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        Path script = Files.writeString(runDir.resolve("hang.sh"), "while true; do sleep 1; done\n");
        return new ProcessBuilder("sh", script.toString()).start();
    }
}
