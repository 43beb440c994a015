package io.homestack.bundle.release;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * The release's bill of materials ({@code .homestack/release.json}): every bundle with version and digest, every
 * chart with its version and every image, sorted, so two releases can be diffed.
 */
@JsonPropertyOrder(alphabetic = true)
public record ReleaseManifest(String name, String version, String environment, List<Bundle> bundles,
                              List<Chart> charts, List<String> images) {

    public static final String PATH = ".homestack/release.json";

    @JsonPropertyOrder(alphabetic = true)
    public record Bundle(String name, String version, String digest, String group, int wave, String repository,
                         List<String> dependencies) {
    }

    @JsonPropertyOrder(alphabetic = true)
    public record Chart(String bundle, String name, String repository, String chart, String version) {
    }
}
