package io.homestack.bundle.release;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.homestack.bundle.BundleException;

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

    /**
     * The repository path of a bundle's {@code repository} (oci://host[:port]/a/b → a/b): where to find it in another
     * registry than the one the cluster pulls from (mirror, diff).
     */
    public static String repositoryPath(String repository, String bundle) {
        if (repository == null || !repository.startsWith("oci://") || repository.indexOf('/', "oci://".length()) < 0) {
            throw new BundleException("release.json gives bundle '" + bundle + "' the repository '" + repository
                    + "'; expected oci://<registry>/<path>");
        }
        return repository.substring(repository.indexOf('/', "oci://".length()) + 1);
    }

    @JsonPropertyOrder(alphabetic = true)
    public record Chart(String bundle, String name, String repository, String chart, String version) {
    }
}
