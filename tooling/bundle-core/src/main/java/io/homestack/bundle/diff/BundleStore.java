package io.homestack.bundle.diff;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.Digests;
import io.homestack.bundle.oci.OciManifest;
import io.homestack.bundle.release.BundleArtifactReader;
import io.homestack.bundle.release.ReleaseManifest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/**
 * Where the bundles a release pins are found: by the digest the release pins, so a store can only ever answer with
 * exactly the artifact the release names.
 */
interface BundleStore {

    /** The manifest and layer of one artifact as found. */
    record Found(byte[] manifestBytes, Path layer, String where) {
    }

    /** The artifact with the pinned digest, or null when this store does not hold it. */
    Found find(ReleaseManifest.Bundle bundle);

    /** Names the store in errors, e.g. "the OCI layout /x" or "registry 127.0.0.1:5000". */
    String describe();

    /** The files of the bundle's layer, from the first store that holds it; fails naming every store looked in. */
    static SortedMap<String, byte[]> load(List<BundleStore> stores, ReleaseManifest.Bundle bundle, String release) {
        for (BundleStore store : stores) {
            Found found = store.find(bundle);
            if (found != null) {
                return verified(found, bundle);
            }
        }
        throw new BundleException("release '" + release + "': bundle " + bundle.name() + " " + bundle.version() + " ("
                + bundle.digest() + ") is in none of " + stores.stream().map(BundleStore::describe).toList()
                + "; build or push it, or name a release whose bundles are there");
    }

    private static SortedMap<String, byte[]> verified(Found found, ReleaseManifest.Bundle bundle) {
        String digest = Digests.sha256(found.manifestBytes());
        if (!digest.equals(bundle.digest())) {
            throw new BundleException(found.where() + ": manifest digest " + digest + ", but the release pins "
                    + bundle.name() + " at " + bundle.digest());
        }
        try {
            String layer = Digests.sha256(found.layer());
            String expected = OciManifest.parse(found.manifestBytes(), found.where()).singleLayer().digest();
            if (!layer.equals(expected)) {
                throw new BundleException(found.where() + ": layer " + found.layer() + " has digest " + layer
                        + ", the manifest references " + expected);
            }
            return BundleArtifactReader.files(found.layer(), p -> true);
        } catch (IOException e) {
            throw new BundleException(found.where() + ": cannot read " + found.layer() + ": " + e.getMessage(), e);
        }
    }
}
