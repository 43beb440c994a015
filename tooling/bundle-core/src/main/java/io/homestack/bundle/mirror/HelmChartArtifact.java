package io.homestack.bundle.mirror;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.hydrate.LocalChart;
import io.homestack.bundle.oci.Annotations;
import io.homestack.bundle.oci.CanonicalJson;
import io.homestack.bundle.oci.MediaTypes;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.OciLayoutWriter;
import io.homestack.bundle.render.ArtifactTreeWriter;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A chart in Helm's OCI format, as {@code helm push} writes it (helm.sh/helm pkg/registry): config
 * {@value MediaTypes#HELM_CONFIG} holding the chart's metadata as JSON, one layer {@value MediaTypes#HELM_CHART_LAYER}
 * (the chart archive), the tag the chart's version with {@code +} as {@code _}, and the manifest annotations Helm
 * derives from Chart.yaml. Unlike {@code helm push} there is no {@code created} annotation, so the same chart gives the
 * same digest.
 */
final class HelmChartArtifact {

    /** Helm's {@code chart.Metadata} fields: the config holds these and nothing else. */
    private static final Set<String> METADATA = Set.of("name", "home", "sources", "version", "description", "keywords",
            "maintainers", "icon", "apiVersion", "condition", "tags", "appVersion", "deprecated", "annotations",
            "kubeVersion", "dependencies", "type");

    private HelmChartArtifact() {
    }

    static String tag(String chartVersion) {
        return chartVersion.replace('+', '_');
    }

    static OciLayout write(LocalChart chart, byte[] archive, Path layoutDir) {
        Map<String, Object> config = new LinkedHashMap<>();
        chart.chartYaml().forEach((key, value) -> {
            if (METADATA.contains(key) && value != null) {
                config.put(key, value);
            }
        });
        byte[] configBytes;
        try {
            configBytes = CanonicalJson.write(ArtifactTreeWriter.JSON.valueToTree(config));
        } catch (IllegalArgumentException e) {
            throw new BundleException("chart '" + chart.spec().name() + "': " + chart.path() + " Chart.yaml cannot be"
                    + " written as Helm's config JSON: " + e.getMessage(), e);
        }
        return OciLayoutWriter.write(layoutDir, tag(chart.version()), null, MediaTypes.HELM_CONFIG, configBytes,
                MediaTypes.HELM_CHART_LAYER, archive, annotations(chart.chartYaml()));
    }

    /** Helm's generateOCIAnnotations: title, version, description, url, source, authors, then the chart's own. */
    static Map<String, String> annotations(Map<String, Object> chartYaml) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (chartYaml.get("annotations") instanceof Map<?, ?> own) {
            own.forEach((k, v) -> annotations.put(String.valueOf(k), String.valueOf(v)));
        }
        put(annotations, Annotations.DESCRIPTION, chartYaml.get("description"));
        put(annotations, Annotations.TITLE, chartYaml.get("name"));
        put(annotations, Annotations.VERSION, chartYaml.get("version"));
        put(annotations, "org.opencontainers.image.url", chartYaml.get("home"));
        if (chartYaml.get("sources") instanceof List<?> sources && !sources.isEmpty()) {
            put(annotations, Annotations.SOURCE, sources.get(0));
        }
        if (chartYaml.get("maintainers") instanceof List<?> maintainers && !maintainers.isEmpty()) {
            StringBuilder authors = new StringBuilder();
            for (Object m : maintainers) {
                Map<?, ?> maintainer = m instanceof Map<?, ?> map ? map : Map.of();
                if (authors.length() > 0) {
                    authors.append(", ");
                }
                if (maintainer.get("name") != null) {
                    authors.append(maintainer.get("name"));
                }
                if (maintainer.get("email") != null) {
                    authors.append(" (").append(maintainer.get("email")).append(")");
                }
            }
            put(annotations, "org.opencontainers.image.authors", authors.toString());
        }
        return annotations;
    }

    private static void put(Map<String, String> map, String key, Object value) {
        if (value != null && !String.valueOf(value).isBlank()) {
            map.put(key, String.valueOf(value));
        }
    }
}
