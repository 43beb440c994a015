package io.homestack.bundle.test.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A {@code build.sh} running on a binaries directory. {@code .ci/run} builds the engines that only late modules need
 * beside {@code make test} (docs/performance.md); a test that finds its binary missing while that build runs waits for
 * it instead of failing. build.sh writes its PID to {@value #PID_FILE} while it holds the directory's lock, removes it
 * when it ends, and moves each binary into place whole (a rename), so a binary that is there is complete.
 */
final class PendingBuild {

    static final String PID_FILE = ".work/build.pid";
    /** Longer than any one step of a cold build on 2 busy cores (docs/performance.md). */
    static final Duration LIMIT = Duration.ofMinutes(45);
    private static final long POLL_MILLIS = 1000;

    private PendingBuild() {
    }

    /** The build.sh running on {@code dir}, if any. A stale PID file (build.sh killed) may name another process. */
    static Optional<ProcessHandle> running(Path dir) {
        String pid;
        try {
            pid = Files.readString(dir.resolve(PID_FILE)).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(PID_FILE), e);
        }
        if (!pid.matches("[0-9]{1,10}")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).filter(PendingBuild::isBuildSh);
    }

    private static boolean isBuildSh(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return info.arguments().map(args -> Arrays.stream(args).anyMatch(a -> a.endsWith("build.sh")))
                .or(() -> info.commandLine().map(c -> c.contains("build.sh")))
                .orElse(false);
    }

    /**
     * Waits until {@code ready} or the build ends. Fails after {@code limit}, naming the build, so that a hung build
     * cannot hold the test run until CI's own time limit.
     */
    static void await(ProcessHandle build, BooleanSupplier ready, Duration limit, String what) {
        Instant deadline = Instant.now().plus(limit);
        while (!ready.getAsBoolean() && build.isAlive()) {
            if (Instant.now().isAfter(deadline)) {
                String waited = limit.toMinutes() > 0 ? limit.toMinutes() + " min" : limit.toMillis() + " ms";
                throw new IllegalStateException("waited " + waited + " for build.sh (pid " + build.pid() + ") to build "
                        + what + "; it is still running");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for build.sh (pid " + build.pid() + ")", e);
            }
        }
    }
}
