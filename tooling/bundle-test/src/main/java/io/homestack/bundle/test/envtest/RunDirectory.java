package io.homestack.bundle.test.envtest;

import io.homestack.bundle.test.internal.Settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

/**
 * One envtest run's directory, {@code target/homestack-envtest/<time>-<pid>-<topology>/}: logs, certificates,
 * kubeconfig and etcd data. Creating one first stops what killed runs left behind.
 */
final class RunDirectory {

    private RunDirectory() {
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
                ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                        .forEach(p -> {
                            System.err.println("[homestack] stopping pid " + p.pid() + " left by a killed test run in " + run);
                            p.destroyForcibly();
                        });
            }
        } catch (IOException e) {
            // best effort
        }
    }
}
