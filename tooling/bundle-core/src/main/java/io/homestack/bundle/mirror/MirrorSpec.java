package io.homestack.bundle.mirror;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.RegistryTarget;

import java.nio.file.Path;
import java.util.List;

/**
 * What to mirror and where.
 *
 * @param source             the registry the release was pushed to; its prefix is ignored (bundles are read at the
 *                           repository paths of release.json, on this registry)
 * @param release            the release's repository on {@code source}, e.g. {@code homestack/release-k3d}
 * @param reference          the release's tag or digest
 * @param mirror             where the charts, relocated bundles and release are pushed: charts to
 *                           {@code <prefix>/charts/<chart>}, bundles to {@code <prefix>/<bundle>}, the release to
 *                           {@code <prefix>/<release name>}
 * @param mirrorPullRegistry the mirror registry as the cluster reaches it (k3d: registry.localhost:5111)
 * @param chartDirectories   directories holding {@code <chart>/} or {@code <chart>-<version>.tgz} (as for hydrate)
 * @param sourceDirectories  directories holding the trees of Git sources, {@code <host>/<repository path>@<revision>/}
 *                           ({@link GitSource})
 * @param missing            what to do with a chart or Git source in none of those directories; null: fail
 * @param workDir            scratch and output: the layouts written, mirror.json, the repository Secret
 */
public record MirrorSpec(RegistryTarget source, String release, String reference, RegistryTarget mirror,
                         String mirrorPullRegistry, List<Path> chartDirectories, List<Path> sourceDirectories,
                         MissingPolicy missing, Path workDir) {

    public MirrorSpec {
        chartDirectories = List.copyOf(chartDirectories);
        sourceDirectories = List.copyOf(sourceDirectories);
        missing = missing == null ? MissingPolicy.FAIL : missing;
        if (source.registry().equals(mirror.registry()) && release.startsWith(mirror.repositoryPrefix() + "/")
                && !mirror.repositoryPrefix().isEmpty()) {
            throw new BundleException("the mirror (" + mirror.registry() + "/" + mirror.repositoryPrefix() + ") would"
                    + " overwrite the release it copies (" + source.registry() + "/" + release + "): give the mirror"
                    + " another registry or repository prefix");
        }
        if (mirrorPullRegistry == null || mirrorPullRegistry.isBlank()) {
            mirrorPullRegistry = mirror.registry();
        }
    }

    /** The repositories of the mirrored Git sources, under the mirror's prefix. */
    public static final String SOURCES = "sources";

    /** Argo CD's Helm-over-OCI repoURL of the mirrored charts: registry/path, without a scheme. */
    public String chartRepoUrl() {
        return mirrorPullRegistry + "/" + prefixed("charts");
    }

    /** The repoURL of a relocated bundle or release: oci://registry/path. */
    public String artifactRepoUrl(String name) {
        return "oci://" + mirrorPullRegistry + "/" + prefixed(name);
    }

    /** The repoURL of a mirrored Git source: oci://registry/path/sources/name (Argo CD's native OCI source). */
    public String sourceRepoUrl(String name) {
        return artifactRepoUrl(SOURCES + "/" + name);
    }

    private String prefixed(String name) {
        return mirror.repositoryPrefix().isEmpty() ? name : mirror.repositoryPrefix() + "/" + name;
    }
}
