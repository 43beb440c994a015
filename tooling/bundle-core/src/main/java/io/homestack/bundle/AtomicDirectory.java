package io.homestack.bundle;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * Replaces a directory as a whole: the content is built in a hidden temporary sibling and renamed into place, so
 * readers see the old directory or the new one, and a failure leaves the old one untouched and no debris.
 */
public final class AtomicDirectory {

    /** Writes the new content into the (empty) temporary directory. */
    public interface Content<T> {
        T build(Path tempDir) throws IOException;
    }

    private AtomicDirectory() {
    }

    /**
     * @param marker a file that identifies {@code target} as ours; an existing non-empty directory without it is not
     *               replaced (so a wrong path never deletes someone's files)
     * @param what   names the directory in error messages
     */
    public static <T> T replace(Path target, String marker, String what, Content<T> content) {
        Path dir = target.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        Path temp = null;
        try {
            Files.createDirectories(parent);
            checkReplaceable(dir, marker, what);
            temp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp-");
            T result = content.build(temp);
            swap(temp, dir);
            temp = null;
            return result;
        } catch (IOException e) {
            throw new BundleException("Cannot write " + what + " " + dir + ": " + e, e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private static void checkReplaceable(Path dir, String marker, String what) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new BundleException("Cannot write " + what + " " + dir + ": a file of that name exists");
        }
        try (Stream<Path> children = Files.list(dir)) {
            if (children.findAny().isPresent() && !Files.exists(dir.resolve(marker))) {
                throw new BundleException("Cannot write " + what + " " + dir + ": the directory exists, is not empty "
                        + "and has no " + marker + ", so it is not replaced");
            }
        }
    }

    private static void swap(Path temp, Path dir) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = temp.resolveSibling(temp.getFileName() + ".old");
            Files.move(dir, old);
        }
        try {
            move(temp, dir);
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, dir);
            }
            throw e;
        }
        if (old != null) {
            deleteQuietly(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    public static void deleteQuietly(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // Best effort: a leftover hidden temp directory is harmless and named after its target.
        }
    }
}
