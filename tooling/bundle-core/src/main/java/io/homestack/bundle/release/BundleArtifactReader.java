package io.homestack.bundle.release;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.Digests;
import io.homestack.bundle.oci.OciManifest;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.render.BundleMetadata;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Reads a built bundle back for a release: the manifest digest, a check that the manifest's layer is the given
 * layer file, and the bundle.json inside it.
 */
public final class BundleArtifactReader {

    /**
     * @param manifestBytes the OCI manifest exactly as built (its sha256 is the digest Argo CD pins)
     * @param layer         the layer tarball the manifest references
     * @param where         names the artifact in errors (e.g. Maven coordinates)
     */
    public ReleasedBundle read(byte[] manifestBytes, Path layer, String where) {
        OciManifest manifest = OciManifest.parse(manifestBytes, where);
        try {
            String layerDigest = Digests.sha256(layer);
            if (!layerDigest.equals(manifest.singleLayer().digest())) {
                throw new BundleException(where + ": layer " + layer + " has digest " + layerDigest + " but the manifest"
                        + " references " + manifest.singleLayer().digest() + "; rebuild the bundle");
            }
            return new ReleasedBundle(metadata(layer, where), Digests.sha256(manifestBytes));
        } catch (IOException e) {
            throw new BundleException(where + ": cannot read " + layer + ": " + e.getMessage(), e);
        }
    }

    private static BundleMetadata metadata(Path layer, String where) throws IOException {
        byte[] json = entry(layer, BundleMetadata.PATH);
        if (json == null) {
            throw new BundleException(where + ": " + layer + " has no " + BundleMetadata.PATH + "; is it a homestack bundle?");
        }
        return ArtifactTreeWriter.JSON.readValue(json, BundleMetadata.class);
    }

    /** The bytes of one file of an artifact's layer, or null when the layer has no such file. */
    static byte[] entry(Path layer, String path) throws IOException {
        return files(layer, path::equals).get(path);
    }

    /**
     * The files of an artifact's layer (path relative to the tree, without "./") whose path {@code wanted} accepts,
     * sorted by path; directories are left out.
     */
    public static SortedMap<String, byte[]> files(Path layer, Predicate<String> wanted)
            throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(layer)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (e.isFile() && wanted.test(name)) {
                    files.put(name, tar.readAllBytes());
                }
            }
        }
        return files;
    }
}
