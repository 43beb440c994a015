package io.homestack.bundle.oci;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageTarballTest {

    @TempDir
    Path dir;

    @Test
    void jibsTarballBecomesALayoutTaggedWithTheVersionWithTheManifestUnchanged() throws Exception {
        Path tarball = TestImages.write(dir.resolve("jib-image.tar"), MediaTypes.OCI_IMAGE_CONFIG, Map.of());

        OciLayout layout = ImageTarball.unpack(tarball, dir.resolve("oci"), "0.1.0-SNAPSHOT", "demo");

        assertThat(layout.tag()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(layout.manifestDescriptor().annotation(Annotations.TITLE)).isEqualTo("demo");
        assertThat(layout.manifest().layers()).hasSize(2);
        // The manifest is Jib's, byte for byte: its digest is what Jib reported.
        String manifestInTar = new String(Files.readAllBytes(layout.blobPath(layout.manifestDigest())));
        assertThat(manifestInTar).startsWith("{\"schemaVersion\":2");
        assertThat(OciLayout.read(dir.resolve("oci")).manifestDigest()).isEqualTo(layout.manifestDigest());
        assertThat(layout.isImage()).isTrue();
        assertThat(io.homestack.bundle.release.ReleasePins.read(layout)).as("an image is pushed like a bundle").isEmpty();
        // Again, over the first: replaced, same digest.
        assertThat(ImageTarball.unpack(tarball, dir.resolve("oci"), "0.1.0-SNAPSHOT", "demo").manifestDigest())
                .isEqualTo(layout.manifestDigest());
    }

    @Test
    void anythingButAnImageLayoutIsRefusedNamingTheTarballAndTheEntryAndNothingIsWritten() throws Exception {
        Path escaping = TestImages.write(dir.resolve("escaping.tar"), MediaTypes.OCI_IMAGE_CONFIG,
                Map.of("../outside", "x"));
        assertThatThrownBy(() -> ImageTarball.unpack(escaping, dir.resolve("oci"), "1.0", "demo"))
                .isInstanceOf(BundleException.class).hasMessageContaining(escaping.toString())
                .hasMessageContaining("unexpected entry '../outside'");
        assertThat(dir.resolve("oci")).doesNotExist();
        assertThat(dir.resolve("outside")).doesNotExist();

        Path artifact = TestImages.write(dir.resolve("artifact.tar"), MediaTypes.EMPTY_JSON, Map.of());
        assertThatThrownBy(() -> ImageTarball.unpack(artifact, dir.resolve("oci"), "1.0", "demo"))
                .hasMessageContaining("not an image config");
        assertThatThrownBy(() -> ImageTarball.unpack(dir.resolve("none.tar"), dir.resolve("oci"), "1.0", "demo"))
                .hasMessageContaining("does not exist; build the image first");
        assertThatThrownBy(() -> ImageTarball.unpack(artifact, dir.resolve("oci"), "1.0+x", "demo"))
                .hasMessageContaining("'1.0+x' is not a valid OCI tag");
    }
}
