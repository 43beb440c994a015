package io.homestack.bundle.hydrate;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The two things hydrate reads from a local chart itself, without Helm: {@code Chart.yaml} and the CRD files. Works on a
 * chart directory and on a packaged {@code .tgz}, including subcharts (directories or nested archives) under
 * {@code charts/}. Paths are relative to the chart root and start with the chart's name, as Helm's "# Source:" does.
 */
final class ChartFiles {

    /** Helm's CRD files: {@code crds/*.yaml|yml|json}, of the chart and of every subchart. */
    private static final Pattern CRD = Pattern.compile("(charts/[^/]+/)*crds/[^/]+\\.(yaml|yml|json)");
    private static final Pattern SUBCHART_ARCHIVE = Pattern.compile("(charts/[^/]+/)*charts/[^/]+\\.tgz");

    private final Map<String, Object> chartYaml;
    /** Relative path (under the chart root) to content, sorted by path. */
    private final Map<String, String> crds;

    private ChartFiles(Map<String, Object> chartYaml, Map<String, String> crds) {
        this.chartYaml = chartYaml;
        this.crds = crds;
    }

    /** @param where names the chart in messages */
    static ChartFiles read(Path chart, String where) {
        try {
            return Files.isDirectory(chart) ? fromDirectory(chart, where) : fromArchive(Files.readAllBytes(chart), where);
        } catch (IOException e) {
            throw new BundleException(where + ": cannot read " + chart + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return KubeObject.string(chartYaml.get("name"));
    }

    String version() {
        return KubeObject.string(chartYaml.get("version"));
    }

    /** Chart.yaml as read. */
    Map<String, Object> chartYaml() {
        return chartYaml;
    }

    /** CRD documents, each with its Helm-style source path ({@code <chart>/crds/<file>}). */
    List<Map.Entry<String, String>> crds() {
        return List.copyOf(crds.entrySet());
    }

    private static ChartFiles fromDirectory(Path dir, String where) throws IOException {
        Path chartYaml = dir.resolve("Chart.yaml");
        if (!Files.isRegularFile(chartYaml)) {
            throw new BundleException(where + ": " + dir + " has no Chart.yaml, so it is not a chart");
        }
        Map<String, Object> meta = Yaml.readMap(Files.readString(chartYaml), chartYaml.toString());
        String prefix = KubeObject.string(meta.get("name")) + "/";
        Map<String, String> crds = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(file).toString().replace('\\', '/');
                if (CRD.matcher(rel).matches()) {
                    crds.put(prefix + rel, Files.readString(file));
                } else if (SUBCHART_ARCHIVE.matcher(rel).matches()) {
                    addSubchart(crds, prefix + rel.substring(0, rel.lastIndexOf('/') + 1), Files.readAllBytes(file), where);
                }
            }
        }
        return new ChartFiles(meta, crds);
    }

    private static ChartFiles fromArchive(byte[] tgz, String where) throws IOException {
        Map<String, byte[]> files = untar(tgz);
        String top = files.keySet().stream().filter(p -> p.indexOf('/') > 0)
                .map(p -> p.substring(0, p.indexOf('/'))).findFirst()
                .orElseThrow(() -> new BundleException(where + ": the chart archive is empty"));
        byte[] chartYaml = files.get(top + "/Chart.yaml");
        if (chartYaml == null) {
            throw new BundleException(where + ": the chart archive has no " + top + "/Chart.yaml, so it is not a chart");
        }
        Map<String, Object> meta = Yaml.readMap(new String(chartYaml, StandardCharsets.UTF_8), top + "/Chart.yaml");
        String prefix = KubeObject.string(meta.get("name")) + "/";
        Map<String, String> crds = new TreeMap<>();
        for (var file : files.entrySet()) {
            if (!file.getKey().startsWith(top + "/")) {
                continue;
            }
            String rel = file.getKey().substring(top.length() + 1);
            if (CRD.matcher(rel).matches()) {
                crds.put(prefix + rel, new String(file.getValue(), StandardCharsets.UTF_8));
            } else if (SUBCHART_ARCHIVE.matcher(rel).matches()) {
                addSubchart(crds, prefix + rel.substring(0, rel.lastIndexOf('/') + 1), file.getValue(), where);
            }
        }
        return new ChartFiles(meta, crds);
    }

    /** A packaged subchart under charts/: its CRDs appear as {@code <parent>/charts/<subchart name>/crds/...}. */
    private static void addSubchart(Map<String, String> crds, String chartsDir, byte[] tgz, String where) throws IOException {
        ChartFiles sub = fromArchive(tgz, where);
        sub.crds.forEach((path, content) -> crds.put(chartsDir + path, content));
    }

    private static Map<String, byte[]> untar(byte[] tgz) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(tgz));
             TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                    files.put(name, tar.readAllBytes());
                }
            }
        }
        return files;
    }
}
