package io.homestack.bundle.mirror;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.OciArtifact;
import io.homestack.bundle.oci.OciLayoutWriter;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/**
 * A Git source's tree packed as the bundles are (one gzip tar layer, the bundle artifact type, no created annotation:
 * Argo CD's native OCI source reads it with {@code path} as it reads a bundle). Git's own metadata ({@code .git}) is
 * left out and every entry is stamped with the same fixed time, so the same tree gives the same digest wherever and
 * whenever it was checked out.
 */
final class SourceArtifact {

    /** Every entry's time: the tree's content decides the digest, not when it was checked out or mirrored. */
    static final Instant MTIME = Instant.EPOCH;

    private SourceArtifact() {
    }

    static OciArtifact write(GitSource source, Path tree, Path scratch, Path layoutDir) {
        Path copy = scratch.resolve(source.name());
        try {
            copyWithoutGit(tree, copy);
        } catch (IOException e) {
            throw new BundleException("mirror: cannot copy the Git source " + tree + ": " + e.getMessage(), e);
        }
        return OciLayoutWriter.write(copy, source.artifact(), MTIME, layoutDir);
    }

    private static void copyWithoutGit(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.getFileName().toString().equals(".git") && !dir.equals(from)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getFileName().toString().equals(".git")) {
                    return FileVisitResult.CONTINUE; // a worktree's or submodule's pointer to its repository
                }
                if (attrs.isSymbolicLink()) {
                    throw new BundleException("mirror: the Git source " + from + " has the symbolic link "
                            + from.relativize(file) + " (to " + Files.readSymbolicLink(file) + "); mirrored sources hold"
                            + " only files and directories: replace it by a copy of its target");
                }
                Files.copy(file, to.resolve(from.relativize(file).toString()), LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
