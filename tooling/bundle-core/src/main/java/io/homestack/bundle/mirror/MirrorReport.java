package io.homestack.bundle.mirror;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * What {@code homestack:mirror} did ({@code target/mirror/mirror.json}): the charts copied and from where, the charts
 * it could not copy (their Applications still point upstream), the relocated bundles and release, and the images the
 * release runs, which the mirror lists but does not copy.
 */
@JsonPropertyOrder(alphabetic = true)
public record MirrorReport(Artifact release, List<Artifact> bundles, List<Chart> charts, List<MissingChart> missingCharts,
                           String chartRepository, List<String> images) {

    public static final String FILE = "mirror.json";

    /**
     * @param from the original: repository@digest
     * @param to   the relocated artifact as pushed: registry/repository@digest
     */
    @JsonPropertyOrder(alphabetic = true)
    public record Artifact(String name, String from, String to, String digest) {
    }

    /** @param source the chart directory or archive it was packaged from */
    @JsonPropertyOrder(alphabetic = true)
    public record Chart(String bundle, String name, String chart, String version, String source, String reference,
                        String digest) {
    }

    @JsonPropertyOrder(alphabetic = true)
    public record MissingChart(String bundle, String name, String chart, String version, String repository,
                               String reason) {
    }
}
