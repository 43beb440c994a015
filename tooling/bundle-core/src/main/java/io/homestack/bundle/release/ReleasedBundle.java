package io.homestack.bundle.release;

import io.homestack.bundle.render.BundleMetadata;

/**
 * A built bundle as a release sees it: its metadata (from the artifact's bundle.json) and its manifest digest.
 */
public record ReleasedBundle(BundleMetadata metadata, String digest) {

    public String name() {
        return metadata.name();
    }
}
