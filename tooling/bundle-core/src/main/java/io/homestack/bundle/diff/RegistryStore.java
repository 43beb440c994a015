package io.homestack.bundle.diff;

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
        String path = ReleaseManifest.repositoryPath(bundle.repository(), bundle.name());
        OciLayout pulled = client.pull(path, bundle.digest(), scratch.resolve(bundle.name()));
        return new Found(pulled.manifestBytes(), pulled.layerFile(), describe() + "/" + path);
    }

    @Override
    public String describe() {
        return "registry " + client.target().registry();
    }
}
