package io.homestack.bundle.oci;

import io.homestack.bundle.AtomicDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a bundle as an OCI image layout (docs/architecture.md §3): one image manifest with artifactType
 * {@value MediaTypes#BUNDLE_ARTIFACT_TYPE}, the empty config, and one gzip tar layer of the content tree. No
 * {@code created} annotation, so the manifest digest changes only when content or annotations change.
 */
public final class OciLayoutWriter {

    private OciLayoutWriter() {
    }

    /**
     * Packs {@code contentTree} and writes the layout to {@code layoutDir}, replacing an existing layout there as a
     * whole (a failure leaves the previous one untouched).
     *
     * @param mtime the time stamped on every tar entry, normally project.build.outputTimestamp
     * @throws io.homestack.bundle.BundleException if the tree cannot be packed (symlinks...) or the layout written
     */
    public static OciArtifact write(Path contentTree, ArtifactSpec spec, Instant mtime, Path layoutDir) {
        ReproducibleTarGz.tarSeconds(mtime); // fail before touching the disk
        Path target = layoutDir.toAbsolutePath().normalize();
        return AtomicDirectory.replace(target, OciLayout.LAYOUT_FILE, "OCI image layout",
                temp -> build(contentTree, spec, mtime, temp, target));
    }

    private static OciArtifact build(Path tree, ArtifactSpec spec, Instant mtime, Path temp, Path target)
            throws IOException {
        Path blobs = Files.createDirectories(temp.resolve("blobs").resolve("sha256"));
        Path layerTemp = blobs.resolve(".layer.tmp");
        MessageDigest sha256 = Digests.newSha256();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(layerTemp), sha256)) {
            ReproducibleTarGz.write(tree, mtime, out);
        }
        String layerDigest = Digests.format(sha256.digest());
        long layerSize = Files.size(layerTemp);
        Files.move(layerTemp, OciLayout.blobPath(temp, layerDigest));
        Files.write(OciLayout.blobPath(temp, Descriptor.EMPTY_JSON.digest()), Descriptor.EMPTY_JSON_BYTES);

        Descriptor layer = Descriptor.of(MediaTypes.LAYER_TAR_GZIP, layerDigest, layerSize)
                .withAnnotations(Map.of(Annotations.TITLE, spec.layerTitle()));
        OciManifest manifest = new OciManifest(MediaTypes.BUNDLE_ARTIFACT_TYPE, Descriptor.EMPTY_JSON, List.of(layer),
                annotations(spec));
        byte[] manifestBytes = manifest.toCanonicalJson();
        String manifestDigest = Digests.sha256(manifestBytes);
        Files.write(OciLayout.blobPath(temp, manifestDigest), manifestBytes);
        Descriptor manifestDescriptor = Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest, manifestBytes.length)
                .withArtifactType(MediaTypes.BUNDLE_ARTIFACT_TYPE);
        OciLayout.writeIndex(temp, manifestDescriptor, spec.tag());

        return new OciArtifact(target, spec.tag(), manifestDigest, manifestBytes, layerDigest, layerSize,
                OciLayout.blobPath(target, layerDigest));
    }

    /**
     * Writes a one-layer artifact of another format (a Helm chart: its config and chart archive) as an OCI image
     * layout at {@code layoutDir}, replacing an existing layout there as a whole.
     *
     * @param artifactType null for formats that have none (Helm's manifests carry no artifactType)
     */
    public static OciLayout write(Path layoutDir, String tag, String artifactType, String configMediaType,
                                  byte[] config, String layerMediaType, byte[] layer, Map<String, String> annotations) {
        return write(layoutDir, tag, artifactType, configMediaType, config, layerMediaType, layer, annotations, null);
    }

    /**
     * As above, for a referrer of {@code subject} (OCI 1.1: an SBOM or signature attached to an artifact); a
     * referrer has no tag of its own ({@code tag} null): it is pushed by digest and found through its subject.
     */
    public static OciLayout write(Path layoutDir, String tag, String artifactType, String configMediaType,
                                  byte[] config, String layerMediaType, byte[] layer, Map<String, String> annotations,
                                  Descriptor subject) {
        Path target = layoutDir.toAbsolutePath().normalize();
        AtomicDirectory.replace(target, OciLayout.LAYOUT_FILE, "OCI image layout", temp -> {
            Files.createDirectories(temp.resolve("blobs").resolve("sha256"));
            Descriptor configDescriptor = Descriptor.of(configMediaType, Digests.sha256(config), config.length);
            Descriptor layerDescriptor = Descriptor.of(layerMediaType, Digests.sha256(layer), layer.length);
            Files.write(OciLayout.blobPath(temp, configDescriptor.digest()), config);
            Files.write(OciLayout.blobPath(temp, layerDescriptor.digest()), layer);
            byte[] manifest = new OciManifest(artifactType, configDescriptor, List.of(layerDescriptor), annotations,
                    subject).toCanonicalJson();
            String digest = Digests.sha256(manifest);
            Files.write(OciLayout.blobPath(temp, digest), manifest);
            OciLayout.writeIndex(temp, Descriptor.of(MediaTypes.OCI_MANIFEST, digest, manifest.length)
                    .withArtifactType(artifactType), tag);
            return null;
        });
        return OciLayout.read(target);
    }

    private static Map<String, String> annotations(ArtifactSpec spec) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Annotations.TITLE, spec.name());
        annotations.put(Annotations.VERSION, spec.version());
        putIfPresent(annotations, Annotations.SOURCE, spec.source());
        putIfPresent(annotations, Annotations.REVISION, spec.revision());
        putIfPresent(annotations, Annotations.DESCRIPTION, spec.description());
        return annotations;
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value.strip());
        }
    }
}
