package io.homestack.bundle.diff;

import io.homestack.bundle.release.ReleaseManifest;

import java.util.List;
import java.util.SortedMap;

/**
 * One release as read for a diff: its manifest (release.json) and where the bundles it pins are found.
 *
 * @param source what the user named (a directory or a registry reference)
 * @param digest the release artifact's manifest digest
 */
public record ReleaseArtifact(String source, String digest, ReleaseManifest manifest, List<BundleStore> stores) {

    /** The files of one pinned bundle's artifact (its bundle.json and rendered tree). */
    SortedMap<String, byte[]> bundleFiles(ReleaseManifest.Bundle bundle) {
        return BundleStore.load(stores, bundle, source);
    }

    /** "release-k3d 1.2.0 (sha256:…)" */
    public String title() {
        return manifest.name() + " " + manifest.version() + " (" + digest + ")";
    }
}
