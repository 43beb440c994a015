package io.homestack.bundle.model;

import java.util.List;

/**
 * An upstream Helm chart the bundle deploys through an Argo CD {@code Application}; never vendored.
 *
 * @param name         the key of this chart in the bundle: names the Application and the values files
 * @param repository   the chart repository URL (https or an OCI registry)
 * @param chart        the chart's name in that repository; defaults to {@code name}
 * @param version      the exact chart version (ranges are rejected)
 * @param namespace    the namespace the chart is installed into
 * @param releaseName  the Helm release name; defaults to {@code name}
 * @param environments the environments that get this chart; empty means all of the bundle's
 * @param images       the images the chart runs with these values, pinned, for the release manifest
 */
public record ChartSpec(String name, String repository, String chart, String version, String namespace,
                        String releaseName, List<String> environments, List<String> images) {

    public ChartSpec {
        environments = environments == null ? List.of() : List.copyOf(environments);
        images = images == null ? List.of() : List.copyOf(images);
    }

    public String chartName() {
        return chart == null || chart.isBlank() ? name : chart;
    }

    public String helmReleaseName() {
        return releaseName == null || releaseName.isBlank() ? name : releaseName;
    }

    public boolean appliesTo(String environment) {
        return environments.isEmpty() || environments.contains(environment);
    }
}
