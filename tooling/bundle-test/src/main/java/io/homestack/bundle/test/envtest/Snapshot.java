package io.homestack.bundle.test.envtest;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.test.internal.TestBinaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A stopped envtest control plane with every upstream CRD installed: the etcd data directory and the certificates
 * it was made with, kept in {@code <binaries dir>/envtest-snapshots/<key>/}. Installing ~45 large CRDs costs the API
 * server ~20 s of CPU; restoring a copy costs well under a second, so only the first envtest start on a machine
 * (for a given set of versions) pays it. The key hashes everything that shapes the data: versions.env's Kubernetes,
 * etcd and CRD versions and this format's number. Snapshots older than {@link #MAX_AGE} are rebuilt (the
 * certificates are valid for a year).
 */
final class Snapshot {

    static final Duration MAX_AGE = Duration.ofDays(180);
    private static final String FORMAT = "1";
    private static final String COMPLETE = ".complete";

    private final Path dir;

    private Snapshot(Path dir) {
        this.dir = dir;
    }

    static Snapshot forVersions(TestBinaries binaries) {
        StringBuilder key = new StringBuilder("format=" + FORMAT + "\nk8s=" + binaries.kubernetesVersion()
                + "\netcd=" + binaries.version("ETCD_VERSION") + "\n");
        binaries.crdSets().forEach(s -> key.append(s.project()).append('=').append(s.version()).append('\n'));
        return new Snapshot(binaries.dir().resolve("envtest-snapshots").resolve(sha256(key.toString()).substring(0, 16)));
    }

    Path dir() {
        return dir;
    }

    /** Usable: complete and young enough. */
    boolean usable() {
        Path complete = dir.resolve(COMPLETE);
        try {
            return Files.isRegularFile(complete)
                    && Files.getLastModifiedTime(complete).toInstant().isAfter(Instant.now().minus(MAX_AGE));
        } catch (IOException e) {
            return false;
        }
    }

    /** Copies the snapshot's etcd data and certificates into a run directory. */
    void restoreInto(Path etcdData, Path pki) {
        copyTree(dir.resolve("etcd"), etcdData);
        copyTree(dir.resolve("pki"), pki);
    }

    /**
     * Saves a stopped control plane's data as this snapshot: built beside it and moved into place at once, so that
     * two runs building it at the same time both succeed and readers never see half a snapshot.
     */
    void save(Path etcdData, Path pki) {
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".tmp-");
            copyTree(etcdData, tmp.resolve("etcd"));
            copyTree(pki, tmp.resolve("pki"));
            Files.writeString(tmp.resolve(COMPLETE), Instant.now() + "\n", StandardCharsets.UTF_8);
            if (Files.exists(dir)) {
                AtomicDirectory.deleteQuietly(dir); // stale (too old or incomplete)
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                AtomicDirectory.deleteQuietly(tmp); // another run saved it first
            } catch (IOException e) {
                if (!usable()) {
                    throw e;
                }
                AtomicDirectory.deleteQuietly(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the envtest snapshot " + dir, e);
        }
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".tmp")) { // etcd's preallocated next WAL segment
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
