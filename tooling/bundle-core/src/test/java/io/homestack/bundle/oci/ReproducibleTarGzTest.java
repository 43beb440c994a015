package io.homestack.bundle.oci;

import io.homestack.bundle.BundleException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReproducibleTarGzTest {

    @TempDir
    Path tmp;

    private static byte[] archive(Path tree, Instant mtime) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReproducibleTarGz.write(tree, mtime, out);
        return out.toByteArray();
    }

    private static List<TarArchiveEntry> entries(byte[] tarGz) throws IOException {
        List<TarArchiveEntry> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tarGz)))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                entries.add(e);
            }
        }
        return entries;
    }

    @Test
    void sameFilesGiveSameBytesWhateverTheirOrderTimesAndModesOnDisk() throws IOException {
        List<String> order = new ArrayList<>(TestTrees.BUNDLE.keySet());
        Path a = TestTrees.write(tmp.resolve("a"), TestTrees.BUNDLE, order, Instant.parse("2021-01-01T00:00:00Z"),
                "rw-------", "rwx------");
        List<String> reversed = new ArrayList<>(order);
        java.util.Collections.reverse(reversed);
        Path b = TestTrees.write(tmp.resolve("b"), TestTrees.BUNDLE, reversed, Instant.parse("2024-07-07T12:34:56Z"),
                "rwxrwxr-x", "rwxrwxrwx");

        assertThat(archive(a, TestTrees.OUTPUT_TIMESTAMP)).isEqualTo(archive(b, TestTrees.OUTPUT_TIMESTAMP));
        assertThat(archive(a, TestTrees.OUTPUT_TIMESTAMP))
                .isNotEqualTo(archive(a, TestTrees.OUTPUT_TIMESTAMP.plusSeconds(1)));
    }

    @Test
    void entriesAreSortedWithParentsRootOwnedAndStampedWithTheGivenTime() throws IOException {
        Path tree = TestTrees.bundle(tmp.resolve("tree"));
        Files.createDirectories(tree.resolve("k3s/empty"));

        List<TarArchiveEntry> entries = entries(archive(tree, TestTrees.OUTPUT_TIMESTAMP));

        assertThat(entries).extracting(TarArchiveEntry::getName).containsExactly(
                ".homestack/", ".homestack/bundle.json",
                "k3d/", "k3d/application-jellyfin.yaml", "k3d/namespace.yaml",
                "k3s/", "k3s/application-jellyfin.yaml", "k3s/empty/", "k3s/namespace.yaml");
        for (TarArchiveEntry e : entries) {
            assertThat(e.getLongUserId()).as(e.getName()).isZero();
            assertThat(e.getLongGroupId()).as(e.getName()).isZero();
            assertThat(e.getUserName()).as(e.getName()).isEmpty();
            assertThat(e.getGroupName()).as(e.getName()).isEmpty();
            assertThat(e.getModTime().toInstant()).as(e.getName()).isEqualTo(TestTrees.OUTPUT_TIMESTAMP);
            assertThat(e.getMode()).as(e.getName()).isEqualTo(e.isDirectory() ? 0755 : 0644);
            assertThat(e.isDirectory() || e.isFile()).as(e.getName()).isTrue();
        }
    }

    @Test
    void systemTarReadsTheSameOrderOwnersTimesAndModes() throws IOException {
        Path tree = TestTrees.bundle(tmp.resolve("tree"));
        Path layer = tmp.resolve("layer.tar.gz");
        Files.write(layer, archive(tree, TestTrees.OUTPUT_TIMESTAMP));

        Exec.Result listing = Exec.run(List.of(Exec.requireTool("tar", "tar").toString(),
                "--list", "--verbose", "--numeric-owner", "--full-time", "-z", "-f", layer.toString()), Map.of("TZ", "UTC"));

        List<String> lines = listing.stdout().lines().toList();
        assertThat(lines).hasSize(8).allSatisfy(line -> assertThat(line)
                .matches("(-rw-r--r--|drwxr-xr-x) 0/0 +\\d+ 2026-01-01 00:00:00 \\S+"));
        assertThat(lines).extracting(l -> l.substring(l.lastIndexOf(' ') + 1)).containsExactly(
                ".homestack/", ".homestack/bundle.json", "k3d/", "k3d/application-jellyfin.yaml", "k3d/namespace.yaml",
                "k3s/", "k3s/application-jellyfin.yaml", "k3s/namespace.yaml");
        assertThat(listing.stderr()).isEmpty();
    }

    @Test
    void gzipHeaderHasNoFileNameAndNoTimestamp() throws IOException {
        byte[] bytes = archive(TestTrees.bundle(tmp.resolve("tree")), TestTrees.OUTPUT_TIMESTAMP);
        assertThat(bytes).startsWith(0x1f, 0x8b, 8 /* deflate */, 0 /* no FNAME/FCOMMENT/FEXTRA */, 0, 0, 0, 0 /* mtime */);
    }

    @Test
    void longAndNonAsciiNamesUsePaxHeadersThatTarAndCommonsCompressRead() throws IOException {
        String deep = "k3s/" + "very-long-directory-name-".repeat(6) + "/" + "x".repeat(120) + ".yaml";
        Map<String, String> files = new TreeMap<>(Map.of(
                "k3d/" + "a".repeat(99) + ".yaml", "exactly over one hundred bytes\n",
                deep, "deep\n",
                "k3d/wohnzimmer-küche-日本.yaml", "utf-8 name\n",
                "k3d/short.yaml", "short\n"));
        Path tree = TestTrees.write(tmp.resolve("tree"), files, new ArrayList<>(files.keySet()),
                Instant.parse("2022-02-02T00:00:00Z"), "rw-r--r--", "rwxr-xr-x");
        assertThat(deep.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(255);

        byte[] first = archive(tree, TestTrees.OUTPUT_TIMESTAMP);
        byte[] second = archive(tree, TestTrees.OUTPUT_TIMESTAMP);
        assertThat(first).isEqualTo(second);

        assertThat(entries(first)).filteredOn(TarArchiveEntry::isFile).extracting(TarArchiveEntry::getName)
                .containsExactlyInAnyOrderElementsOf(files.keySet());

        Path layer = tmp.resolve("layer.tar.gz");
        Files.write(layer, first);
        Path extracted = Files.createDirectories(tmp.resolve("extracted"));
        Exec.run(List.of(Exec.requireTool("tar", "tar").toString(), "-x", "-z", "-f", layer.toString(),
                "-C", extracted.toString()), Map.of("LC_ALL", "C.UTF-8"));
        for (Map.Entry<String, String> f : files.entrySet()) {
            assertThat(extracted.resolve(f.getKey())).as(f.getKey()).hasContent(f.getValue());
        }
    }

    @Test
    void symbolicLinksAreRefusedWithTheirName() throws IOException {
        Path tree = TestTrees.bundle(tmp.resolve("tree"));
        Files.createSymbolicLink(tree.resolve("k3d/link.yaml"), Path.of("namespace.yaml"));

        assertThatThrownBy(() -> archive(tree, TestTrees.OUTPUT_TIMESTAMP))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("k3d/link.yaml is a symbolic link (to namespace.yaml)")
                .hasMessageContaining("copy the target");
    }

    @Test
    void timestampsTarCannotHoldAreRefused() {
        Path tree = TestTrees.bundle(tmp.resolve("tree"));
        assertThatThrownBy(() -> archive(tree, Instant.parse("1969-12-31T23:59:59Z")))
                .isInstanceOf(BundleException.class).hasMessageContaining("project.build.outputTimestamp");
    }
}
