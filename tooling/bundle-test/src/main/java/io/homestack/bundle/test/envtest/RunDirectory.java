package io.homestack.bundle.test.envtest;

import io.homestack.bundle.test.internal.Settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One envtest run's directory, {@code target/homestack-envtest/<time>-<pid>-<topology>/}: logs, certificates,
 * kubeconfig and etcd data, and {@code pids} (every process started, with its executable). Creating one first stops
 * what killed runs left behind.
 */
final class RunDirectory {

    static final String PIDS = "pids";

    private RunDirectory() {
    }

    /**
     * Notes a process of the run as "pid executable" in {@code <run>/pids}: the run directory is not always on its
     * command line (Argo CD gets it in the environment, redis rewrites its title), the executable stays.
     */
    static void recordPid(Path runDir, long pid) {
        String exe = ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("");
        try {
            Files.writeString(runDir.resolve(PIDS), pid + " " + exe + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(PIDS), e);
        }
    }

    static Path create(String topology) {
        Path root = Settings.WORK_DIR.value().map(Path::of)
                .orElse(Path.of(System.getProperty("user.dir"), "target", "homestack-envtest"));
        stopOrphans(root);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String name = stamp + "-" + ProcessHandle.current().pid() + "-" + topology.replaceAll("[^A-Za-z0-9.-]", "_");
        Path dir = root.resolve(name);
        try {
            for (int i = 2; Files.exists(dir); i++) {
                dir = root.resolve(name + "-" + i);
            }
            Files.createDirectories(dir.resolve("logs"));
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /**
     * Processes left by a test JVM that was killed (kill -9 skips shutdown hooks): every run directory is named
     * {@code <time>-<pid>-<topology>}; when that JVM is gone, whatever still runs from that directory is stopped.
     */
    static void stopOrphans(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> runs = Files.list(root)) {
            for (Path run : runs.toList()) {
                String[] parts = run.getFileName().toString().split("-");
                if (parts.length < 4 || !parts[2].matches("\\d+")
                        || ProcessHandle.of(Long.parseLong(parts[2])).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                String marker = run.toAbsolutePath() + "/";
                Map<Long, String> recorded = recordedPids(run);
                ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)
                                || p.info().command().map(c -> c.equals(recorded.get(p.pid()))).orElse(false))
                        .forEach(p -> {
                            System.err.println("[homestack] stopping pid " + p.pid() + " left by a killed test run in " + run);
                            p.destroyForcibly();
                        });
            }
        } catch (IOException e) {
            // best effort
        }
    }

    /** The run's processes by pid, with their executables (a pid taken by another program since does not match). */
    static Map<Long, String> recordedPids(Path run) throws IOException {
        Map<Long, String> pids = new HashMap<>();
        if (Files.isRegularFile(run.resolve(PIDS))) {
            for (String line : Files.readAllLines(run.resolve(PIDS))) {
                String[] parts = line.split(" ", 2);
                if (parts.length == 2 && parts[0].matches("\\d+") && !parts[1].isEmpty()) {
                    pids.put(Long.parseLong(parts[0]), parts[1]);
                }
            }
        }
        return pids;
    }
}
