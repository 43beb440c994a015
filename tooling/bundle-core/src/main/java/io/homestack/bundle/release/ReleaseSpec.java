package io.homestack.bundle.release;

/**
 * Where the cluster pulls bundles from, which can differ from where the build pushes them
 * (k3d: the build pushes to localhost:5111, the cluster pulls from registry.localhost:5111).
 *
 * @param environment      k3d or k3s: the path inside each bundle artifact
 * @param pullRegistry     registry host[:port] as the cluster reaches it
 * @param repositoryPrefix repository prefix, e.g. homestack → oci://registry/homestack/media
 */
public record ReleaseSpec(String name, String version, String environment, String pullRegistry, String repositoryPrefix) {

    public String repoUrl(String bundle) {
        return registryUrl() + "/" + bundle;
    }

    /** Every repository of the release, as Argo CD's repository credential templates match it: oci://registry/prefix. */
    public String registryUrl() {
        String prefix = repositoryPrefix == null || repositoryPrefix.isBlank() ? "" : "/" + repositoryPrefix;
        return "oci://" + pullRegistry + prefix;
    }
}
