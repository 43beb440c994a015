package io.homestack.bundle.mirror;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * What {@code homestack:mirror} did ({@code target/mirror/mirror.json}): the charts and Git sources copied and from
 * where, those it could not copy and what the missing policy did with their Applications (kept upstream, or omitted:
 * {@code omitted} lists each removed Application), the relocated bundles and release, and the images the release runs,
 * which the mirror lists but does not copy.
 *
 * @param missingPolicy fail, keep or omit ({@link MissingPolicy})
 */
@JsonPropertyOrder(alphabetic = true)
public record MirrorReport(Artifact release, List<Artifact> bundles, List<Chart> charts, List<MissingChart> missingCharts,
                           List<Source> sources, List<MissingSource> missingSources, String missingPolicy,
                           List<Omitted> omitted, String chartRepository, List<String> images) {

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

    /**
     * A Git source mirrored as an OCI artifact.
     *
     * @param source    the directory it was packed from
     * @param reference where it was pushed, registry/repository:revision
     */
    @JsonPropertyOrder(alphabetic = true)
    public record Source(String bundle, String application, String repository, String revision, String source,
                         String reference, String digest) {
    }

    @JsonPropertyOrder(alphabetic = true)
    public record MissingSource(String bundle, String application, String repository, String revision, String reason) {
    }

    /**
     * An Application removed from its relocated bundle (policy omit).
     *
     * @param chart the chart key (bundle.yaml {@code charts[].name}) for a chart Application, null for a Git source
     * @param source what could not be mirrored, e.g. {@code chart istiod 1.32.0 from https://…}
     */
    @JsonPropertyOrder(alphabetic = true)
    public record Omitted(String bundle, String application, String chart, String source) {
    }
}
