package io.homestack.bundle.model;

import io.homestack.bundle.BundleException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * The only way bundle inputs are read: nothing outside the bundle directory (or, for shared kustomize components, the
 * repository) is ever read, and no input is larger than {@link #MAX_FILE_BYTES}. A symbolic link is fine while it
 * stays inside; one that leaves is an error naming the link, checked before any tool reads the tree.
 */
public final class BundleInputs {

    /** The largest input file; bundle files are a few KiB, so this only stops hostile or mistaken input early. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    private BundleInputs() {
    }

    /**
     * Reads a UTF-8 input file of the bundle.
     *
     * @param boundary the directory the file (after links) must be in: the bundle directory
     * @param shown    the file as messages name it (relative to the bundle)
     */
    public static String read(Path boundary, Path file, String shown) {
        checkInside(boundary, file, shown);
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new BundleException(shown + ": " + size + " bytes is more than the " + MAX_FILE_BYTES
                        + " bytes an input file may have (" + MAX_FILE_BYTES / (1024 * 1024) + " MiB)");
            }
            if (!Files.isRegularFile(file)) {
                throw new BundleException(shown + ": is not a regular file");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new BundleException(shown + ": not found");
        } catch (CharacterCodingException e) {
            throw new BundleException(shown + ": is not UTF-8 text");
        } catch (IOException e) {
            throw new BundleException(shown + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * Checks every entry under {@code dir} (which may not exist): symbolic links stay inside {@code boundary}, files
     * are at most {@link #MAX_FILE_BYTES}. Links are checked, not followed.
     *
     * @param where names the boundary in messages, e.g. "the bundle directory"
     */
    public static void checkTree(Path boundary, Path dir, Path shownFrom, String where) {
        checkTree(boundary, dir, shownFrom, where, new HashSet<>());
    }

    private static void checkTree(Path boundary, Path dir, Path shownFrom, String where, Set<Path> walked) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) || !walked.add(realPath(dir))) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String shown = shownFrom.relativize(file).toString();
                    if (attrs.isSymbolicLink()) {
                        checkInside(boundary, file, shown, where);
                        if (Files.isDirectory(file)) {
                            // Tools follow it: what it leads to obeys the same rules.
                            checkTree(boundary, realPath(file), shownFrom, where, walked);
                        }
                    } else if (attrs.isRegularFile() && attrs.size() > MAX_FILE_BYTES) {
                        throw new BundleException(shown + ": " + attrs.size() + " bytes is more than the "
                                + MAX_FILE_BYTES + " bytes an input file may have (" + MAX_FILE_BYTES / (1024 * 1024) + " MiB)");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new BundleException("cannot list " + shownFrom.relativize(dir) + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    /** Fails unless {@code path}, with every link resolved, is {@code boundary} or inside it. */
    public static void checkInside(Path boundary, Path path, String shown) {
        checkInside(boundary, path, shown, "the bundle directory");
    }

    private static void checkInside(Path boundary, Path path, String shown, String where) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new BundleException(shown + ": is a symbolic link that leads nowhere (" + e.getClass().getSimpleName()
                    + "); homestack reads nothing outside " + where);
        }
        if (!real.startsWith(realPath(boundary))) {
            throw new BundleException(shown + ": " + (Files.isSymbolicLink(path) ? "is a symbolic link" : "leads")
                    + " to " + real + ", outside " + where + "; homestack reads nothing outside it (copy the file in)");
        }
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new BundleException(dir + ": cannot resolve (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * The repository a bundle belongs to: the nearest directory holding {@code .git}; in a source tree without Git,
     * the outermost directory holding a {@code pom.xml}; else the bundle directory itself.
     */
    public static Path repositoryRoot(Path bundleDir) {
        Path dir = realPath(bundleDir);
        Path outermostPom = null;
        for (Path at = dir; at != null; at = at.getParent()) {
            if (Files.exists(at.resolve(".git"))) {
                return at;
            }
            if (Files.isRegularFile(at.resolve("pom.xml"))) {
                outermostPom = at;
            }
        }
        return outermostPom == null ? dir : outermostPom;
    }
}
