package io.homestack.bundle.hydrate;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The two things hydrate reads from a local chart itself, without Helm: {@code Chart.yaml} and the CRD files, read
 * from the chart's {@link ChartCopy} (so subcharts are directories there). Paths are relative to the chart root and
 * start with the chart's name, as Helm's "# Source:" does.
 */
final class ChartFiles {

    /** Helm's CRD files: {@code crds/*.yaml|yml|json}, of the chart and of every subchart. */
    private static final Pattern CRD = Pattern.compile("(charts/[^/]+/)*crds/[^/]+\\.(yaml|yml|json)");

    private final Path dir;
    private final Map<String, Object> chartYaml;
    /** Relative path (under the chart root) to content, sorted by path. */
    private final Map<String, String> crds;

    private ChartFiles(Path dir, Map<String, Object> chartYaml, Map<String, String> crds) {
        this.dir = dir;
        this.chartYaml = chartYaml;
        this.crds = crds;
    }

    /**
     * Copies the chart (directory or archive) to {@code copy} with {@link ChartCopy} and reads it there.
     *
     * @param where names the chart in messages
     */
    static ChartFiles read(Path chart, Path copy, String where) {
        ChartCopy.copy(chart, copy, where);
        try {
            return fromDirectory(copy, chart, where);
        } catch (IOException e) {
            throw new BundleException(where + ": cannot read " + chart + ": " + e.getMessage(), e);
        }
    }

    /** The unpacked copy Helm renders. */
    Path dir() {
        return dir;
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

    private static ChartFiles fromDirectory(Path dir, Path original, String where) throws IOException {
        Path chartYaml = dir.resolve("Chart.yaml");
        if (!Files.isRegularFile(chartYaml)) {
            throw new BundleException(where + ": " + original + " has no Chart.yaml" + (Files.isDirectory(original) ? ""
                    : " in its top directory") + ", so it is not a chart");
        }
        Map<String, Object> meta = Yaml.readMap(Files.readString(chartYaml), original + " Chart.yaml");
        String prefix = KubeObject.string(meta.get("name")) + "/";
        Map<String, String> crds = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(file).toString().replace('\\', '/');
                if (CRD.matcher(rel).matches()) {
                    crds.put(prefix + rel, HelmHooks.restore(Files.readString(file)));
                }
            }
        }
        return new ChartFiles(dir, meta, crds);
    }
}
