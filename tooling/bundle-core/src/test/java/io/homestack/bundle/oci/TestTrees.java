package io.homestack.bundle.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Bundle-shaped content trees and whole-directory snapshots for comparing layouts byte by byte. */
final class TestTrees {

    static final Instant OUTPUT_TIMESTAMP = Instant.parse("2026-01-01T00:00:00Z");

    /** Relative path -> content of a small bundle tree (docs/architecture.md §3). */
    static final Map<String, String> BUNDLE = new TreeMap<>(Map.of(
            ".homestack/bundle.json", "{\"name\":\"media\",\"version\":\"0.1.0\"}\n",
            "k3d/application-jellyfin.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\n",
            "k3d/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: media\n",
            "k3s/application-jellyfin.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\n# k3s\n",
            "k3s/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: media\n  labels: {}\n"));

    private TestTrees() {
    }

    /** Writes {@code files} in the given order, stamping each with {@code mtime} and a file mode. */
    static Path write(Path dir, Map<String, String> files, List<String> order, Instant mtime, String fileMode,
                      String dirMode) {
        try {
            Files.createDirectories(dir);
            for (String name : order) {
                Path file = dir.resolve(name);
                Files.createDirectories(file.getParent());
                Files.writeString(file, files.get(name), StandardCharsets.UTF_8);
                Files.setLastModifiedTime(file, FileTime.from(mtime));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(fileMode));
            }
            try (Stream<Path> dirs = Files.walk(dir)) {
                for (Path d : dirs.filter(Files::isDirectory).toList()) {
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(dirMode));
                    Files.setLastModifiedTime(d, FileTime.from(mtime));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path bundle(Path dir) {
        return write(dir, BUNDLE, new ArrayList<>(BUNDLE.keySet()), Instant.parse("2020-05-05T10:00:00Z"),
                "rw-r--r--", "rwxr-xr-x");
    }

    /** Relative path -> bytes of every file, plus "dir/" -> empty for every directory. */
    static Map<String, byte[]> snapshot(Path root) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(p -> !p.equals(root)).toList()) {
                String name = root.relativize(p).toString();
                files.put(Files.isDirectory(p) ? name + "/" : name, Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Two snapshots hold the same paths and the same bytes. */
    static boolean sameContent(Map<String, byte[]> a, Map<String, byte[]> b) {
        return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> Arrays.equals(a.get(k), b.get(k)));
    }
}
