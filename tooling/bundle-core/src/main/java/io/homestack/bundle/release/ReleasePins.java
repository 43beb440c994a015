package io.homestack.bundle.release;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.render.ArtifactTreeWriter;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A release is never pushed before the bundles it pins: Argo CD would sync an app-of-apps whose Applications point at
 * digests the registry does not have. Before a release is pushed, every pinned digest is looked up in the registry
 * the release goes to, and the push is refused, naming what is missing, unless all are there.
 */
public final class ReleasePins {

    private ReleasePins() {
    }

    /** The release manifest inside the layout's layer; empty when the artifact is a bundle or an image, not a release. */
    public static Optional<ReleaseManifest> read(OciLayout layout) {
        if (layout.isImage()) {
            return Optional.empty();
        }
        try {
            byte[] json = BundleArtifactReader.entry(layout.layerFile(), ReleaseManifest.PATH);
            return json == null ? Optional.empty()
                    : Optional.of(ArtifactTreeWriter.JSON.readValue(json, ReleaseManifest.class));
        } catch (IOException e) {
            throw new BundleException("cannot read " + ReleaseManifest.PATH + " from " + layout.layerFile() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Fails, naming every missing bundle, unless the client's registry has every pinned digest.
     *
     * @param fix how to push the bundles first (the command line), ends the error message
     */
    public static void requirePushed(ReleaseManifest release, RegistryClient client, String fix) {
        List<String> missing = release.bundles().stream()
                .filter(b -> !client.hasManifest(b.name(), b.digest()))
                .map(b -> client.target().repository(b.name()) + "@" + b.digest() + " (" + b.name() + " " + b.version() + ")")
                .toList();
        if (!missing.isEmpty()) {
            throw new BundleException("release " + release.name() + " is not pushed: it pins " + missing.size()
                    + " bundle(s) that " + client.target().registry() + " does not have: " + String.join(", ", missing)
                    + "; push the bundles first: " + fix);
        }
    }
}
