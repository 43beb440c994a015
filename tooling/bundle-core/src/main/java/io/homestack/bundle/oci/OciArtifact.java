package io.homestack.bundle.oci;

import java.nio.file.Path;

/**
 * A bundle written as an OCI image layout.
 *
 * @param layerFile the layer blob inside the layout (a {@code .tar.gz}); attach or copy it, do not move it
 */
public record OciArtifact(Path layoutDir, String tag, String manifestDigest, byte[] manifestBytes,
                          String layerDigest, long layerSize, Path layerFile) {

    public OciArtifact {
        manifestBytes = manifestBytes.clone();
    }

    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    @Override
    public String toString() {
        return "OciArtifact[" + layoutDir + " " + tag + "@" + manifestDigest + ", layer " + layerDigest
                + " (" + layerSize + " bytes)]";
    }
}
