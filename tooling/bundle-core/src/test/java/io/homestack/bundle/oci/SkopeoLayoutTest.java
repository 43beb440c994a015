package io.homestack.bundle.oci;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout as skopeo (containers/image) reads it. skopeo 1.9's non-raw {@code inspect} refuses every OCI
 * artifact ("unsupported image-specific operation on artifact"), so the raw manifest, the raw config and a
 * digest-verifying copy are what is checked.
 */
class SkopeoLayoutTest {

    @TempDir
    Path tmp;

    private OciArtifact artifact;
    private String reference;

    @BeforeEach
    void writeLayout() {
        artifact = OciLayoutWriter.write(TestTrees.bundle(tmp.resolve("tree")), OciLayoutWriterTest.SPEC,
                TestTrees.OUTPUT_TIMESTAMP, tmp.resolve("oci"));
        reference = "oci:" + tmp.resolve("oci") + ":0.1.0";
    }

    @Test
    void skopeoFindsTheTaggedManifestWithOneGzipLayerAndTheAnnotations() throws IOException {
        byte[] raw = Skopeo.run("inspect", "--raw", reference).stdoutBytes();

        assertThat(raw).isEqualTo(artifact.manifestBytes());
        JsonNode manifest = CanonicalJson.parse(raw);
        assertThat(manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(manifest.path("artifactType").asText()).isEqualTo("application/vnd.homestack.bundle.v1");
        assertThat(manifest.path("layers")).hasSize(1);
        assertThat(manifest.path("layers").get(0).path("mediaType").asText())
                .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        assertThat(manifest.path("annotations").path("org.opencontainers.image.version").asText()).isEqualTo("0.1.0");
        assertThat(manifest.path("annotations").path("org.opencontainers.image.title").asText()).isEqualTo("media");
    }

    @Test
    void skopeoReadsTheEmptyConfig() {
        assertThat(Skopeo.run("inspect", "--config", "--raw", reference).stdout()).isEqualTo("{}");
    }

    @Test
    void skopeoCopiesTheLayoutVerifyingBlobsAndKeepingTheDigest() {
        Skopeo.run("copy", "--insecure-policy", reference, "oci:" + tmp.resolve("copy") + ":0.1.0");

        OciLayout copy = OciLayout.read(tmp.resolve("copy"));
        assertThat(copy.tag()).isEqualTo("0.1.0");
        assertThat(copy.manifestDigest()).isEqualTo(artifact.manifestDigest());
        assertThat(copy.layer().digest()).isEqualTo(artifact.layerDigest());
    }
}
