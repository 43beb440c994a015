package io.homestack.bundle.hydrate;

import io.homestack.bundle.BundleException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Copies a local chart (a directory, or a {@code .tgz} as {@code helm pull} writes it) into a work directory for
 * Helm to render: unpacked, packaged subcharts under {@code charts/} unpacked too, and every file passed through
 * {@link HelmHooks#hide}. Bounded, because a chart archive is input from elsewhere ({@link Limits#DEFAULT}: a small
 * archive must not expand until the JVM dies), and no entry may leave the chart ({@code ..}, absolute paths). Links
 * in an archive are skipped; nothing is written outside the destination.
 */
final class ChartCopy {

    /** Counted over the chart and all its subcharts. The largest common charts unpack to a few MiB. */
    record Limits(int files, long fileBytes, long totalBytes, int depth) {
        static final Limits DEFAULT = new Limits(10_000, 32L << 20, 256L << 20, 4);

        @Override
        public String toString() {
            return files + " files, " + size(fileBytes) + " per file, " + size(totalBytes) + " in all, subcharts "
                    + depth + " deep";
        }
    }

    private static final Pattern SUBCHART_ARCHIVE = Pattern.compile("(charts/[^/]+/)*charts/[^/]+\\.tgz");

    private final String where;
    private final String source;
    private final Limits limits;
    private int files;
    private long total;

    private ChartCopy(String where, String source, Limits limits) {
        this.where = where;
        this.source = source;
        this.limits = limits;
    }

    /**
     * @param chart a chart directory or archive
     * @param dest  the directory to create (must not exist); it becomes the chart's root
     * @param where names the bundle and chart in messages
     */
    static void copy(Path chart, Path dest, String where) {
        copy(chart, dest, where, Limits.DEFAULT);
    }

    static void copy(Path chart, Path dest, String where, Limits limits) {
        ChartCopy copy = new ChartCopy(where, chart.toString(), limits);
        try {
            if (Files.isDirectory(chart)) {
                copy.fromDirectory(chart, dest);
            } else {
                try (InputStream in = Files.newInputStream(chart)) {
                    copy.fromArchive(in, dest, chart.getFileName().toString(), 0);
                }
            }
        } catch (IOException e) {
            throw new BundleException(where + ": cannot unpack " + chart + ": " + e.getMessage(), e);
        }
    }

    private void fromDirectory(Path dir, Path dest) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : all) {
            String rel = dir.relativize(file).toString().replace('\\', '/');
            if (Files.size(file) > limits.fileBytes()) {
                throw tooBig(rel, "a file larger than " + size(limits.fileBytes()));
            }
            try (InputStream in = Files.newInputStream(file)) {
                add(dest, rel, read(in, rel), 0);
            }
        }
    }

    /** A chart archive holds one top directory (the chart's name); its contents go to {@code dest}. */
    private void fromArchive(InputStream raw, Path dest, String archive, int depth) throws IOException {
        if (depth > limits.depth()) {
            throw tooBig(archive, "subcharts nested more than " + limits.depth() + " deep");
        }
        String top = null;
        try (InputStream gz = new GZIPInputStream(raw); TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (!entry.isFile() || name.isEmpty()) {
                    continue;
                }
                String at = archive(archive, depth);
                checkPath(at, name);
                int slash = name.indexOf('/');
                if (slash <= 0) {
                    throw new BundleException(where + ": " + at + ": entry '" + name + "' is not inside the chart's directory");
                }
                if (top == null) {
                    top = name.substring(0, slash);
                } else if (!top.equals(name.substring(0, slash))) {
                    throw new BundleException(where + ": " + at + " holds more than one chart directory ('" + top + "', '"
                            + name.substring(0, slash) + "')");
                }
                if (entry.getSize() > limits.fileBytes()) {
                    throw tooBig(archive + ": " + name, "a file larger than " + size(limits.fileBytes()));
                }
                add(dest, name.substring(slash + 1), read(tar, archive + ": " + name), depth);
            }
        }
        if (top == null) {
            throw new BundleException(where + ": " + archive(archive, depth) + " is empty");
        }
    }

    private void add(Path dest, String rel, byte[] content, int depth) throws IOException {
        if (++files > limits.files()) {
            throw tooBig(rel, "more than " + limits.files() + " files");
        }
        if (SUBCHART_ARCHIVE.matcher(rel).matches()) {
            // Unpacked, so its files get the same treatment; Helm loads a subchart directory like an archive.
            String name = rel.substring(0, rel.length() - ".tgz".length());
            fromArchive(new ByteArrayInputStream(content), dest.resolve(name), rel, depth + 1);
            return;
        }
        Path target = dest.resolve(rel).normalize();
        if (!target.startsWith(dest.normalize())) {
            throw new BundleException(where + ": chart " + source + ": '" + rel + "' would be written outside the chart");
        }
        Files.createDirectories(target.getParent());
        Files.write(target, HelmHooks.hide(content));
    }

    /** Reads one entry, counting it against the limits before it is all in memory. */
    private byte[] read(InputStream in, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 << 10];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + (long) n > limits.fileBytes()) {
                throw tooBig(name, "a file larger than " + size(limits.fileBytes()));
            }
            total += n;
            if (total > limits.totalBytes()) {
                throw tooBig(name, "more than " + size(limits.totalBytes()) + " unpacked");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private String archive(String archive, int depth) {
        return "chart archive " + source + (depth > 0 ? " (subchart " + archive + ")" : "");
    }

    private void checkPath(String at, String name) {
        if (name.startsWith("/") || name.contains("\\") || name.matches("^[A-Za-z]:.*")
                || List.of(name.split("/")).contains("..")) {
            throw new BundleException(where + ": " + at + ": entry '" + name + "' leaves the chart (absolute path or"
                    + " '..'); refusing to unpack it");
        }
    }

    private BundleException tooBig(String what, String limit) {
        return new BundleException(where + ": chart " + source + " has " + limit + " (at " + what + "); hydrate refuses"
                + " charts over its limits (" + limits + ")");
    }

    private static String size(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
