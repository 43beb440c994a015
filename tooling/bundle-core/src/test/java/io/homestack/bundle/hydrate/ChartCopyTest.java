package io.homestack.bundle.hydrate;

import io.homestack.bundle.BundleException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unpacking a chart archive is bounded and stays inside the copy; errors name the chart and the archive. */
class ChartCopyTest {

    private static final String WHERE = "[b] chart 'demo' 0.3.1";
    /** Small limits, so the tests build small archives; the logic is the same as for Limits.DEFAULT. */
    private static final ChartCopy.Limits SMALL = new ChartCopy.Limits(100, 64 << 10, 256 << 10, 2);
    private static final byte[] CHART_YAML = "apiVersion: v2\nname: demo\nversion: 0.3.1\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** name -> size of zeros (or null: Chart.yaml), streamed so a big entry never sits in the test's memory. */
    private Path archive(String file, Map<String, Long> entries) throws IOException {
        Path tgz = dir.resolve(file);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                long size = e.getValue() == null ? CHART_YAML.length : e.getValue();
                entry.setSize(size);
                tar.putArchiveEntry(entry);
                if (e.getValue() == null) {
                    tar.write(CHART_YAML);
                } else {
                    byte[] zeros = new byte[1 << 20];
                    for (long left = size; left > 0; left -= zeros.length) {
                        tar.write(zeros, 0, (int) Math.min(left, zeros.length));
                    }
                }
                tar.closeArchiveEntry();
            }
        }
        return tgz;
    }

    private static Map<String, Long> chart() {
        Map<String, Long> entries = new LinkedHashMap<>();
        entries.put("demo/Chart.yaml", null);
        return entries;
    }

    @Test
    void unpacksAChartAndItsPackagedSubchartsHidingTheHookKey() throws IOException {
        Map<String, Long> sub = new LinkedHashMap<>();
        sub.put("sub/Chart.yaml", null);
        byte[] subTgz = Files.readAllBytes(archive("sub-1.0.0.tgz", sub));
        Path tgz = dir.resolve("demo-0.3.1.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            put(tar, "demo/Chart.yaml", CHART_YAML);
            put(tar, "demo/templates/job.yaml", "metadata:\n  annotations:\n    helm.sh/hook: post-install\n"
                    .getBytes(StandardCharsets.UTF_8));
            put(tar, "demo/charts/sub-1.0.0.tgz", subTgz);
        }

        ChartCopy.copy(tgz, dir.resolve("copy"), WHERE);

        assertThat(dir.resolve("copy/Chart.yaml")).hasBinaryContent(CHART_YAML);
        assertThat(dir.resolve("copy/templates/job.yaml")).content()
                .isEqualTo("metadata:\n  annotations:\n    " + HelmHooks.STAND_IN + ": post-install\n");
        assertThat(dir.resolve("copy/charts/sub-1.0.0/Chart.yaml")).hasBinaryContent(CHART_YAML);
        assertThat(dir.resolve("copy/charts/sub-1.0.0.tgz")).doesNotExist();
    }

    @Test
    void anEntryLeavingTheChartIsRefusedAndNothingIsWrittenOutsideIt() throws IOException {
        Map<String, Long> entries = chart();
        entries.put("demo/../../escaped.txt", 3L);
        Path tgz = archive("demo-0.3.1.tgz", entries);

        assertThatThrownBy(() -> ChartCopy.copy(tgz, dir.resolve("work/copy"), WHERE))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith(WHERE + ": chart archive " + tgz + ": entry 'demo/../../escaped.txt' leaves the chart");
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.map(p -> p.getFileName().toString())).doesNotContain("escaped.txt");
        }
    }

    @Test
    void anAbsoluteEntryIsRefused() throws IOException {
        Map<String, Long> entries = chart();
        entries.put("/tmp/evil", 3L);
        Path tgz = archive("demo-0.3.1.tgz", entries);

        assertThatThrownBy(() -> ChartCopy.copy(tgz, dir.resolve("copy"), WHERE))
                .isInstanceOf(BundleException.class).hasMessageContaining("entry '/tmp/evil' leaves the chart");
    }

    @Test
    void theDefaultLimitsRefuseABigFileFromItsHeaderBeforeReadingIt() throws IOException {
        // 40 MiB of zeros is 40 KiB compressed; an 8 GiB entry would be refused the same way, from its header.
        Map<String, Long> entries = chart();
        entries.put("demo/templates/huge.yaml", 40L << 20);
        Path tgz = archive("demo-0.3.1.tgz", entries);

        assertThatThrownBy(() -> ChartCopy.copy(tgz, dir.resolve("copy"), WHERE))
                .isInstanceOf(BundleException.class)
                .hasMessage(WHERE + ": chart " + tgz + " has a file larger than 32 MiB (at demo-0.3.1.tgz:"
                        + " demo/templates/huge.yaml); hydrate refuses charts over its limits (10000 files, 32 MiB per"
                        + " file, 256 MiB in all, subcharts 4 deep)");
    }

    @Test
    void anArchiveExpandingBeyondTheTotalLimitIsRefused() throws IOException {
        Map<String, Long> entries = chart();
        for (int i = 0; i < 5; i++) {
            entries.put("demo/files/part-" + i, 64L << 10);
        }
        Path tgz = archive("demo-0.3.1.tgz", entries);

        assertThatThrownBy(() -> ChartCopy.copy(tgz, dir.resolve("copy"), WHERE, SMALL))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith(WHERE + ": chart " + tgz + " has more than 256 KiB unpacked (at demo-0.3.1.tgz: demo/files/part-3)");
    }

    @Test
    void tooManyFilesAreRefused() throws IOException {
        Map<String, Long> entries = chart();
        for (int i = 0; i < 100; i++) {
            entries.put("demo/files/f" + i, 0L);
        }
        Path tgz = archive("demo-0.3.1.tgz", entries);

        assertThatThrownBy(() -> ChartCopy.copy(tgz, dir.resolve("copy"), WHERE, SMALL))
                .isInstanceOf(BundleException.class).hasMessageContaining("has more than 100 files (at files/f99)");
    }

    @Test
    void subchartsCountAgainstTheSameLimitsAndTheirDepthIsBounded() throws IOException {
        // demo -> a -> b -> c: three levels of packaged subcharts, one more than SMALL allows.
        byte[] inner = Files.readAllBytes(archive("c-1.0.0.tgz", Map.of("c/Chart.yaml", 10L)));
        for (String name : List.of("b", "a")) {
            Path next = dir.resolve(name + "-1.0.0.tgz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(next));
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                put(tar, name + "/Chart.yaml", CHART_YAML);
                put(tar, name + "/charts/" + (name.equals("b") ? "c" : "b") + "-1.0.0.tgz", inner);
            }
            inner = Files.readAllBytes(next);
        }
        Path tgz = dir.resolve("demo-0.3.1.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            put(tar, "demo/Chart.yaml", CHART_YAML);
            put(tar, "demo/charts/a-1.0.0.tgz", inner);
        }

        assertThatThrownBy(() -> ChartCopy.copy(tgz, dir.resolve("copy"), WHERE, SMALL))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("has subcharts nested more than 2 deep (at charts/c-1.0.0.tgz)");
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
