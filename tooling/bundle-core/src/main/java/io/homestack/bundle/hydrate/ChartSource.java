package io.homestack.bundle.hydrate;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.ChartSpec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where hydrate finds the upstream charts, which homestack never vendors.
 * <ul>
 *   <li>{@link #directory(Path)}: a local directory holding {@code <chart>/} (a chart directory) or
 *       {@code <chart>-<version>.tgz} (what {@code helm pull} and {@code helm package} write), {@code <chart>} being
 *       the chart's name in its repository (or the bundle's key for it). The archive wins when both exist, because its
 *       file name carries the version.</li>
 *   <li>{@link #repositories()}: the chart's own repository from {@code bundle.yaml}, through Helm (needs network;
 *       untested in homestack's offline CI).</li>
 * </ul>
 * {@code directory(dir).orRepositories()} tries the directory first.
 */
public final class ChartSource {

    private final Path directory;
    private final boolean repositories;

    private ChartSource(Path directory, boolean repositories) {
        this.directory = directory;
        this.repositories = repositories;
    }

    public static ChartSource directory(Path directory) {
        return new ChartSource(directory.toAbsolutePath().normalize(), false);
    }

    /** Fetches each chart from its repository at its pinned version. Untested here: no repository is reachable. */
    public static ChartSource repositories() {
        return new ChartSource(null, true);
    }

    /** This directory first, then the chart's repository for charts the directory does not hold. */
    public ChartSource orRepositories() {
        return new ChartSource(directory, true);
    }

    /** Finds a chart; {@code null} when it may be fetched from its repository. */
    Path local(Bundle bundle, ChartSpec chart) {
        return local(bundle.name(), chart);
    }

    /** @param owner names what pins the chart in messages (a bundle) */
    Path local(String owner, ChartSpec chart) {
        if (directory == null) {
            return null;
        }
        List<Path> candidates = new ArrayList<>();
        for (String name : names(chart)) {
            candidates.add(directory.resolve(name + "-" + chart.version() + ".tgz"));
            candidates.add(directory.resolve(name));
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) || Files.isRegularFile(candidate.resolve("Chart.yaml"))) {
                return candidate;
            }
        }
        if (repositories) {
            return null;
        }
        throw new BundleException("[" + owner + "] chart '" + chart.name() + "' " + chart.version()
                + " is not in the charts directory " + directory + ": expected "
                + String.join(" or ", candidates.stream().map(p -> p.getFileName() + (p.toString().endsWith(".tgz") ? "" : "/")).toList())
                + otherVersions(chart) + ". Charts are not vendored; fetch it with: helm pull " + pullHint(chart)
                + " --version " + chart.version() + " -d " + directory);
    }

    boolean repositoriesAllowed() {
        return repositories;
    }

    public String describe() {
        return directory == null ? "the charts' repositories"
                : "charts directory " + directory + (repositories ? " (then the charts' repositories)" : "");
    }

    private static List<String> names(ChartSpec chart) {
        return chart.chartName().equals(chart.name()) ? List.of(chart.name()) : List.of(chart.chartName(), chart.name());
    }

    /** "(found demo-0.2.0.tgz)": the usual mistake is a chart pulled at another version. */
    private String otherVersions(ChartSpec chart) {
        if (!Files.isDirectory(directory)) {
            return " (the directory does not exist)";
        }
        List<String> found = new ArrayList<>();
        for (String name : names(chart)) {
            try (DirectoryStream<Path> tgz = Files.newDirectoryStream(directory, name + "-*.tgz")) {
                tgz.forEach(p -> found.add(p.getFileName().toString()));
            } catch (IOException ignored) {
                // only a hint
            }
        }
        return found.isEmpty() ? "" : " (found " + String.join(", ", found.stream().sorted().toList()) + ")";
    }

    private static String pullHint(ChartSpec chart) {
        String repo = chart.repository() == null ? "<repository>" : chart.repository();
        return repo.startsWith("http://") || repo.startsWith("https://")
                ? chart.chartName() + " --repo " + repo
                : Hydrator.ociReference(chart);
    }
}
