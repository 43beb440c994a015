package io.homestack.bundle.oci;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.BundleException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A container image as an OCI image layout in a tarball (what Jib's {@code buildTar} writes for an OCI-format image),
 * unpacked into a layout directory like a bundle's {@code target/oci}, so that the same push, reproducibility check
 * and release tooling handle images and bundles. The manifest is kept byte for byte (its digest is the one Jib built);
 * only the index entry is rewritten: tagged with the version and titled with the image's name.
 */
public final class ImageTarball {

    private static final Pattern BLOB = Pattern.compile("blobs/sha256/[0-9a-f]{64}");

    private ImageTarball() {
    }

    /**
     * @param tag   the tag the layout's manifest gets (the project version)
     * @param title the image's name ({@code org.opencontainers.image.title} on the index entry)
     * @throws BundleException naming the tarball and what is wrong with it; {@code layoutDir} is then left as it was
     */
    public static OciLayout unpack(Path tarball, Path layoutDir, String tag, String title) {
        if (!References.isTag(tag)) {
            throw new BundleException(tarball + ": '" + tag + "' is not a valid OCI tag");
        }
        AtomicDirectory.replace(layoutDir, OciLayout.LAYOUT_FILE, "OCI image layout", dir -> {
            extract(tarball, dir);
            OciLayout jib;
            try {
                jib = OciLayout.read(dir);
            } catch (BundleException e) {
                throw new BundleException(tarball + " is not an OCI image tarball (Jib's buildTar with"
                        + " <format>OCI</format>): " + e.getMessage(), e);
            }
            if (!jib.isImage()) {
                throw new BundleException(tarball + ": its manifest's config is " + jib.manifest().config().mediaType()
                        + ", not an image config (" + MediaTypes.OCI_IMAGE_CONFIG + ")");
            }
            OciLayout.writeIndex(dir, jib.manifestDescriptor().withAnnotations(null),
                    Map.of(Annotations.REF_NAME, tag, Annotations.TITLE, title));
            return null;
        });
        return OciLayout.read(layoutDir, tag);
    }

    /** Only what an image layout holds: oci-layout, index.json and sha256 blobs; nothing may land elsewhere. */
    private static void extract(Path tarball, Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(tarball); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            Files.createDirectories(dir.resolve("blobs/sha256"));
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (e.isDirectory() && (name.equals("blobs/") || name.equals("blobs/sha256/") || name.isEmpty())) {
                    continue;
                }
                if (!e.isFile() || !(name.equals(OciLayout.LAYOUT_FILE) || name.equals(OciLayout.INDEX_FILE)
                        || BLOB.matcher(name).matches())) {
                    throw new BundleException(tarball + ": unexpected entry '" + e.getName() + "'; an OCI image"
                            + " tarball holds oci-layout, index.json and blobs/sha256/<digest> files only");
                }
                Files.copy(tar, dir.resolve(name));
            }
        } catch (NoSuchFileException e) {
            throw new BundleException(tarball + " does not exist; build the image first (jib:buildTar)", e);
        }
    }
}
