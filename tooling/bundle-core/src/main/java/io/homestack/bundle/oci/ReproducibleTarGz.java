package io.homestack.bundle.oci;

import io.homestack.bundle.BundleException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Packs a directory tree into a gzip tar whose bytes depend only on the files' relative paths and contents and
 * on the given timestamp: entries sorted by the UTF-8 bytes of their names, every parent directory present
 * (named {@code dir/}, without {@code ./}), uid/gid 0 with empty owner names, one mtime for all, modes 0644 for
 * files and 0755 for directories whatever the disk says (Argo CD writes those modes anyway).
 *
 * <p>Symbolic links and special files are refused: Argo CD and Flux reject links leaving the tree, and a link's
 * meaning depends on the machine that built it.
 *
 * <p>The gzip header is the JDK's: no file name, mtime 0. The deflate stream is the JDK's zlib at the default
 * level, so it is stable for a given zlib (a build with a different zlib implementation may compress differently).
 */
public final class ReproducibleTarGz {

    static final int FILE_MODE = 0644;
    static final int DIRECTORY_MODE = 0755;

    private ReproducibleTarGz() {
    }

    /** Writes the archive of {@code tree}'s contents (not the directory itself) to {@code out}; leaves it open. */
    public static void write(Path tree, Instant mtime, OutputStream out) throws IOException {
        long seconds = tarSeconds(mtime);
        Path root = tree.toRealPath();
        if (!Files.isDirectory(root)) {
            throw new BundleException("Cannot archive " + tree + ": not a directory");
        }
        GZIPOutputStream gzip = new GZIPOutputStream(new NonClosing(out), 64 * 1024);
        try (OutputStream buffered = new BufferedOutputStream(gzip, 64 * 1024)) {
            TarWriter tar = new TarWriter(buffered);
            for (Entry entry : entries(root)) {
                if (entry.directory()) {
                    tar.directory(entry.name(), DIRECTORY_MODE, seconds);
                } else {
                    try (InputStream in = Files.newInputStream(entry.path(), LinkOption.NOFOLLOW_LINKS)) {
                        tar.file(entry.name(), FILE_MODE, seconds, entry.size(), in);
                    }
                }
            }
            tar.finish();
        }
    }

    /**
     * The same archive with the stamps this class writes: every entry's mtime {@code mtime}, mode 0644/0755, uid/gid 0
     * with empty owner names, entries in their original order. For archives made by another tool (Helm stamps each
     * file's own mtime), so that packing the same files again gives the same bytes.
     */
    public static byte[] normalize(byte[] tgz, Instant mtime) throws IOException {
        long seconds = tarSeconds(mtime);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(tgz.length);
        try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(tgz));
             org.apache.commons.compress.archivers.tar.TarArchiveInputStream tar =
                     new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(in)) {
            GZIPOutputStream gzip = new GZIPOutputStream(bytes, 64 * 1024);
            TarWriter out = new TarWriter(gzip);
            for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.isDirectory()) {
                    out.directory(e.getName().endsWith("/") ? e.getName() : e.getName() + "/", DIRECTORY_MODE, seconds);
                } else if (e.isFile()) {
                    out.file(e.getName(), FILE_MODE, seconds, e.getSize(), tar);
                } else {
                    throw new BundleException("the archive has " + e.getName() + ", which is not a regular file or"
                            + " directory");
                }
            }
            out.finish();
            gzip.finish();
        }
        return bytes.toByteArray();
    }

    /** Seconds since the epoch for the tar header; the timestamp normally comes from project.build.outputTimestamp. */
    static long tarSeconds(Instant mtime) {
        if (mtime == null) {
            throw new BundleException("No timestamp for the bundle layer: set project.build.outputTimestamp");
        }
        long seconds = mtime.getEpochSecond();
        if (seconds < 0 || seconds > TarWriter.MAX_OCTAL_11) {
            throw new BundleException("Timestamp " + mtime + " for the bundle layer is outside what tar can store "
                    + "(1970-01-01 to 2242-03-16); check project.build.outputTimestamp");
        }
        return seconds;
    }

    private record Entry(String name, Path path, boolean directory, long size) {
    }

    private static List<Entry> entries(Path root) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    entries.add(new Entry(name(root, dir) + "/", dir, true, 0));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isSymbolicLink()) {
                    throw new BundleException("Cannot package " + root + ": " + name(root, file)
                            + " is a symbolic link (to " + Files.readSymbolicLink(file) + "); bundles may contain only "
                            + "regular files and directories, so copy the target instead of linking it");
                }
                if (!attrs.isRegularFile()) {
                    throw new BundleException("Cannot package " + root + ": " + name(root, file)
                            + " is not a regular file or directory");
                }
                entries.add(new Entry(name(root, file), file, false, attrs.size()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                throw new BundleException("Cannot package " + root + ": cannot read " + file + ": " + e, e);
            }
        });
        entries.sort(Comparator.comparing(e -> e.name().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return entries;
    }

    /** Relative path with '/' separators whatever the platform. */
    private static String name(Path root, Path path) {
        List<String> parts = new ArrayList<>();
        root.relativize(path).forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    /** Lets the gzip trailer be written without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
