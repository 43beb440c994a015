package io.homestack.bundle.diff;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.Digests;
import io.homestack.bundle.release.ReleaseManifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bundles installed in a local Maven repository as the package goal attaches them ({@code <name>-<version>.tar.gz}
 * and {@code <name>-<version>-oci-manifest.json}), as the release goal reads them; found when the manifest there has
 * the pinned digest.
 */
record MavenRepositoryStore(Path repository, String groupId) implements BundleStore {

    @Override
    public Found find(ReleaseManifest.Bundle bundle) {
        Path dir = repository.resolve(groupId.replace('.', '/')).resolve(bundle.name()).resolve(bundle.version());
        String base = bundle.name() + "-" + bundle.version();
        Path manifest = dir.resolve(base + "-oci-manifest.json");
        Path layer = dir.resolve(base + ".tar.gz");
        if (!Files.isRegularFile(manifest) || !Files.isRegularFile(layer)) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(manifest);
            // Another build of the same version may be installed there: only the pinned one counts.
            return Digests.sha256(bytes).equals(bundle.digest()) ? new Found(bytes, layer, manifest.toString()) : null;
        } catch (IOException e) {
            throw new BundleException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "the local Maven repository " + repository;
    }
}
