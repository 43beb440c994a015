package io.homestack.bundle.hydrate;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.bundle.oci.ReproducibleTarGz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A pinned chart found in a {@link ChartSource} directory and checked against its pin exactly as hydrate checks it
 * (name, and version up to a leading "v"), for callers outside hydrate (the chart mirror).
 *
 * @param path a chart directory or a {@code .tgz}
 */
public record LocalChart(ChartSpec spec, Path path, Map<String, Object> chartYaml) {

    /**
     * Looks in each directory for {@code <chart>-<version>.tgz} or {@code <chart>/} (as hydrate does), and in its
     * {@code <chart>/<version>/} (the layout charts.sh writes, one charts directory per chart and version).
     *
     * @param owner names what pins the chart in messages (a bundle)
     * @return the chart, or null if none of the directories holds it (the caller reports it by name)
     */
    public static LocalChart find(List<Path> directories, String owner, ChartSpec chart) {
        List<Path> candidates = new java.util.ArrayList<>();
        for (Path directory : directories) {
            candidates.add(directory.resolve(chart.chartName()).resolve(chart.version()));
            candidates.add(directory);
        }
        for (Path directory : candidates) {
            Path local = ChartSource.directory(directory).orRepositories().local(owner, chart);
            if (local != null) {
                ChartFiles files = readBounded(local, "[" + owner + "] chart '" + chart.name() + "'");
                Hydrator.verify(owner, chart, files.name(), files.version(),
                        local + (Files.isDirectory(local) ? "/Chart.yaml" : ""));
                return new LocalChart(chart, local, files.chartYaml());
            }
        }
        return null;
    }

    /** Reads the chart through hydrate's bounded copy (ChartCopy), in a scratch directory removed afterwards. */
    private static ChartFiles readBounded(Path chart, String where) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("homestack-chart-");
        } catch (IOException e) {
            throw new BundleException(where + ": cannot create a scratch directory: " + e.getMessage(), e);
        }
        try {
            return ChartFiles.read(chart, scratch.resolve("chart"), where);
        } finally {
            AtomicDirectory.deleteQuietly(scratch);
        }
    }

    /** The chart's own version (Chart.yaml), which Helm uses as the OCI tag. */
    public String version() {
        return String.valueOf(chartYaml.get("version"));
    }

    /**
     * The chart archive: a {@code .tgz} as it is (upstream's bytes); a directory packaged by Helm ({@code helm
     * package}, so .helmignore holds) with every entry stamped {@code mtime}, so the same chart gives the same bytes.
     */
    public byte[] archive(Path workDir, Instant mtime) {
        try {
            if (!Files.isDirectory(path)) {
                return Files.readAllBytes(path);
            }
            Path out = Files.createTempDirectory(Files.createDirectories(workDir), "package-");
            try {
                HelmJava helm;
                try {
                    helm = HelmJava.load();
                } catch (NoClassDefFoundError e) {
                    throw new BundleException("packaging chart directories needs helm-java (com.marcnuri.helm-java:"
                            + "helm-java) on the class path; the homestack Maven plugin has it: " + e.getMessage(), e);
                }
                helm.packageChart(path, out);
                try (Stream<Path> files = Files.list(out)) {
                    Path tgz = files.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                            .orElseThrow(() -> new BundleException("helm package wrote no archive for " + path));
                    return ReproducibleTarGz.normalize(Files.readAllBytes(tgz), mtime);
                }
            } catch (HelmJava.HelmFailure e) {
                throw new BundleException("chart '" + spec.name() + "' " + spec.version() + ": helm package " + path
                        + " failed: " + e.getMessage(), e);
            } finally {
                try (Stream<Path> files = Files.list(out)) {
                    for (Path p : files.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(out);
            }
        } catch (IOException e) {
            throw new BundleException("chart '" + spec.name() + "' " + spec.version() + ": cannot read or package "
                    + path + ": " + e.getMessage(), e);
        }
    }
}
