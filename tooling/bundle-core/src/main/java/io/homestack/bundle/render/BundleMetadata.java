package io.homestack.bundle.render;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.homestack.bundle.model.ChartSpec;

import java.util.List;
import java.util.Map;

/**
 * {@code .homestack/bundle.json}: what a bundle artifact contains, readable without unpacking Kubernetes YAML.
 * Written with sorted keys so identical input gives identical bytes.
 */
@JsonPropertyOrder(alphabetic = true)
public record BundleMetadata(String name, String version, String description, String group,
                             List<String> environments, List<Chart> charts, Map<String, List<String>> images,
                             List<Dependency> dependencies) {

    public static final String PATH = ".homestack/bundle.json";

    @JsonPropertyOrder(alphabetic = true)
    public record Chart(String name, String repository, String chart, String version, String namespace,
                        List<String> environments, List<String> images) {

        public static Chart of(ChartSpec spec, List<String> bundleEnvironments) {
            return new Chart(spec.name(), spec.repository(), spec.chartName(), spec.version(), spec.namespace(),
                    spec.environments().isEmpty() ? bundleEnvironments : spec.environments(), spec.images());
        }
    }

    /** Another bundle this one needs; the release turns these into sync waves. */
    @JsonPropertyOrder(alphabetic = true)
    public record Dependency(String name, String version) {
    }

    public static BundleMetadata of(RenderedBundle rendered, String version, List<Dependency> dependencies) {
        var d = rendered.bundle().descriptor();
        return new BundleMetadata(d.name(), version, d.description() == null ? "" : d.description(), d.group(),
                d.environments(), d.charts().stream().map(c -> Chart.of(c, d.environments())).toList(),
                rendered.images(), List.copyOf(dependencies));
    }
}
