package io.homestack.bundle.diff;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.release.ReleaseManifest;

import java.nio.file.Path;

/**
 * Bundles in the registry the release was read from, at the repository path release.json gives them (the host there
 * is the one the cluster pulls from, which may differ from the one read here), pulled by digest.
 */
record RegistryStore(RegistryClient client, Path scratch) implements BundleStore {

    @Override
    public Found find(ReleaseManifest.Bundle bundle) {
        OciLayout pulled = client.pull(repositoryPath(bundle), bundle.digest(), scratch.resolve(bundle.name()));
        return new Found(pulled.manifestBytes(), pulled.layerFile(), describe() + "/" + repositoryPath(bundle));
    }

    @Override
    public String describe() {
        return "registry " + client.target().registry();
    }

    /** oci://host[:port]/a/b → a/b */
    static String repositoryPath(ReleaseManifest.Bundle bundle) {
        String url = bundle.repository();
        if (url == null || !url.startsWith("oci://") || url.indexOf('/', "oci://".length()) < 0) {
            throw new BundleException("release.json gives bundle '" + bundle.name() + "' the repository '" + url
                    + "'; expected oci://<registry>/<path>");
        }
        return url.substring(url.indexOf('/', "oci://".length()) + 1);
    }
}
