package io.homestack.bundle.diff;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.Digests;
import io.homestack.bundle.oci.OciManifest;
import io.homestack.bundle.release.ReleaseManifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Bundles in OCI image layouts, looked up by digest in their content-addressed {@code blobs/sha256/}: a layout that
 * holds the release and its bundles (copied into one layout), or the {@code target/oci} of each module of a build.
 */
record LayoutStore(List<Path> layouts, String description) implements BundleStore {

    @Override
    public Found find(ReleaseManifest.Bundle bundle) {
        for (Path layout : layouts) {
            Path manifest = blob(layout, bundle.digest());
            if (Files.isRegularFile(manifest)) {
                try {
                    byte[] bytes = Files.readAllBytes(manifest);
                    String where = layout + " (" + bundle.name() + "@" + bundle.digest() + ")";
                    Path layer = blob(layout, OciManifest.parse(bytes, where).singleLayer().digest());
                    return new Found(bytes, layer, where);
                } catch (IOException e) {
                    throw new BundleException("cannot read " + manifest + ": " + e.getMessage(), e);
                }
            }
        }
        return null;
    }

    @Override
    public String describe() {
        return description;
    }

    static Path blob(Path layout, String digest) {
        return layout.resolve("blobs").resolve("sha256").resolve(Digests.hex(digest));
    }
}
