package io.homestack.bundle.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homestack.bundle.BundleException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An OCI image layout on disk holding one bundle manifest, read and verified: every blob the manifest names is
 * present with the size and sha256 digest it claims.
 *
 * @param tag the manifest's {@code org.opencontainers.image.ref.name}, or null (a layout pulled by digest)
 */
public record OciLayout(Path dir, String tag, Descriptor manifestDescriptor, byte[] manifestBytes, OciManifest manifest) {

    static final String LAYOUT_FILE = "oci-layout";
    static final String INDEX_FILE = "index.json";

    public OciLayout {
        manifestBytes = manifestBytes.clone();
    }

    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    /** Reads a layout whose index.json lists exactly one manifest. */
    public static OciLayout read(Path dir) {
        return read(dir, null);
    }

    /**
     * Reads the manifest tagged {@code tag}, or the only one if {@code tag} is null.
     *
     * @throws BundleException naming the layout and what is wrong with it
     */
    public static OciLayout read(Path dir, String tag) {
        try {
            return doRead(dir, tag);
        } catch (NoSuchFileException e) {
            throw invalid(dir, "missing " + e.getFile());
        } catch (IOException e) {
            throw invalid(dir, e.toString());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw invalid(dir, e.getMessage());
        }
    }

    public String manifestDigest() {
        return manifestDescriptor.digest();
    }

    /** A container image (a Java component's, built by Jib), not a bundle or release artifact: an image config. */
    public boolean isImage() {
        return MediaTypes.OCI_IMAGE_CONFIG.equals(manifest.config().mediaType());
    }

    /** The single content layer of a bundle. */
    public Descriptor layer() {
        return manifest.singleLayer();
    }

    public Path layerFile() {
        return blobPath(layer().digest());
    }

    public Path blobPath(String digest) {
        return blobPath(dir, digest);
    }

    /** The layout as the writer describes it; for callers that need the digests of an already-built bundle. */
    public OciArtifact toArtifact() {
        Descriptor layer = layer();
        return new OciArtifact(dir, tag, manifestDigest(), manifestBytes, layer.digest(), layer.size(), layerFile());
    }

    static Path blobPath(Path dir, String digest) {
        return dir.resolve("blobs").resolve("sha256").resolve(Digests.hex(digest));
    }

    /** Writes oci-layout and an index.json listing {@code manifest}; shared by the writer and the registry pull. */
    static void writeIndex(Path dir, Descriptor manifest, String tag) throws IOException {
        writeIndex(dir, manifest, tag == null ? Map.of() : Map.of(Annotations.REF_NAME, tag));
    }

    /** The same, with any annotations on the index's entry (the tag as {@link Annotations#REF_NAME}). */
    static void writeIndex(Path dir, Descriptor manifest, Map<String, String> annotations) throws IOException {
        ObjectNode layout = CanonicalJson.mapper().createObjectNode().put("imageLayoutVersion", "1.0.0");
        Files.write(dir.resolve(LAYOUT_FILE), CanonicalJson.write(layout));
        Descriptor entry = annotations.isEmpty() ? manifest : manifest.withAnnotations(annotations);
        ObjectNode index = CanonicalJson.mapper().createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.putArray("manifests").add(entry.toJson());
        Files.write(dir.resolve(INDEX_FILE), CanonicalJson.write(index));
    }

    private static OciLayout doRead(Path dir, String tag) throws IOException {
        JsonNode layout = CanonicalJson.parse(Files.readAllBytes(dir.resolve(LAYOUT_FILE)));
        if (!"1.0.0".equals(layout.path("imageLayoutVersion").asText())) {
            throw new IllegalArgumentException(LAYOUT_FILE + " has imageLayoutVersion "
                    + layout.get("imageLayoutVersion") + ", expected \"1.0.0\"");
        }
        JsonNode manifests = CanonicalJson.parse(Files.readAllBytes(dir.resolve(INDEX_FILE))).get("manifests");
        if (manifests == null || !manifests.isArray()) {
            throw new IllegalArgumentException(INDEX_FILE + " has no manifests array");
        }
        List<Descriptor> candidates = new ArrayList<>();
        for (int i = 0; i < manifests.size(); i++) {
            Descriptor d = Descriptor.fromJson(manifests.get(i), INDEX_FILE + " manifests[" + i + "]");
            if (tag == null || tag.equals(d.annotation(Annotations.REF_NAME))) {
                candidates.add(d);
            }
        }
        if (candidates.size() != 1) {
            throw new IllegalArgumentException(tag == null
                    ? INDEX_FILE + " lists " + manifests.size() + " manifests; expected exactly one (or name a tag)"
                    : INDEX_FILE + " has " + candidates.size() + " manifests tagged '" + tag + "'; expected one");
        }
        Descriptor descriptor = candidates.get(0);
        if (!MediaTypes.OCI_MANIFEST.equals(descriptor.mediaType())) {
            throw new IllegalArgumentException(INDEX_FILE + " lists a " + descriptor.mediaType()
                    + ", not an OCI image manifest");
        }
        byte[] bytes = readVerified(dir, descriptor, "manifest");
        OciManifest manifest = OciManifest.parse(bytes, "manifest " + descriptor.digest());
        for (Descriptor blob : manifest.blobs()) {
            verifyBlob(dir, blob);
        }
        return new OciLayout(dir, descriptor.annotation(Annotations.REF_NAME), descriptor, bytes, manifest);
    }

    private static byte[] readVerified(Path dir, Descriptor descriptor, String what) throws IOException {
        byte[] bytes = Files.readAllBytes(blobPath(dir, descriptor.digest()));
        if (bytes.length != descriptor.size() || !Digests.sha256(bytes).equals(descriptor.digest())) {
            throw new IllegalArgumentException(what + " blob " + descriptor.digest() + " does not match its digest "
                    + "or size (" + bytes.length + " bytes, expected " + descriptor.size() + ")");
        }
        return bytes;
    }

    private static void verifyBlob(Path dir, Descriptor blob) throws IOException {
        Path file = blobPath(dir, blob.digest());
        long size = Files.size(file);
        if (size != blob.size()) {
            throw new IllegalArgumentException("blob " + blob.digest() + " has " + size + " bytes, the manifest says "
                    + blob.size());
        }
        String actual = Digests.sha256(file);
        if (!actual.equals(blob.digest())) {
            throw new IllegalArgumentException("blob " + blob.digest() + " is corrupt: its content hashes to " + actual);
        }
    }

    private static BundleException invalid(Path dir, String reason) {
        return new BundleException("Invalid OCI image layout " + dir + ": " + reason);
    }
}
