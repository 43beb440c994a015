package io.homestack.bundle.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OciLayoutWriterTest {

    static final ArtifactSpec SPEC = new ArtifactSpec("media", "0.1.0", "https://github.com/homestack/homestack",
            "0123456789abcdef0123456789abcdef01234567", "Jellyfin and friends", null);

    @TempDir
    Path tmp;

    private static JsonNode json(byte[] bytes) throws IOException {
        return CanonicalJson.parse(bytes);
    }

    @Test
    void writesOneManifestWithTheBundleFormat() throws IOException {
        Path layout = tmp.resolve("oci");
        OciArtifact artifact = OciLayoutWriter.write(TestTrees.bundle(tmp.resolve("tree")), SPEC,
                TestTrees.OUTPUT_TIMESTAMP, layout);

        JsonNode manifest = json(artifact.manifestBytes());
        assertThat(manifest.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(manifest.get("artifactType").asText()).isEqualTo("application/vnd.homestack.bundle.v1");
        assertThat(manifest.get("config").toString()).isEqualTo("{\"digest\":"
                + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\","
                + "\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"size\":2}");
        assertThat(manifest.get("layers")).hasSize(1);
        JsonNode layer = manifest.get("layers").get(0);
        assertThat(layer.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        assertThat(layer.get("digest").asText()).isEqualTo(artifact.layerDigest());
        assertThat(layer.get("size").asLong()).isEqualTo(artifact.layerSize()).isEqualTo(Files.size(artifact.layerFile()));
        assertThat(layer.get("annotations").toString())
                .isEqualTo("{\"org.opencontainers.image.title\":\"media-0.1.0.tar.gz\"}");
        assertThat(manifest.get("annotations").toString()).isEqualTo("{"
                + "\"org.opencontainers.image.description\":\"Jellyfin and friends\","
                + "\"org.opencontainers.image.revision\":\"0123456789abcdef0123456789abcdef01234567\","
                + "\"org.opencontainers.image.source\":\"https://github.com/homestack/homestack\","
                + "\"org.opencontainers.image.title\":\"media\","
                + "\"org.opencontainers.image.version\":\"0.1.0\"}");
        assertThat(new String(artifact.manifestBytes(), StandardCharsets.UTF_8)).doesNotContain("created");
        assertThat(CanonicalJson.write(manifest)).isEqualTo(artifact.manifestBytes());
        assertThat(artifact.manifestDigest()).isEqualTo(Digests.sha256(artifact.manifestBytes()));

        assertThat(layout.resolve("oci-layout")).hasContent("{\"imageLayoutVersion\":\"1.0.0\"}");
        assertThat(layout.resolve("index.json")).hasContent("{\"manifests\":[{"
                + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"0.1.0\"},"
                + "\"artifactType\":\"application/vnd.homestack.bundle.v1\","
                + "\"digest\":\"" + artifact.manifestDigest() + "\","
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"size\":" + artifact.manifestBytes().length + "}],"
                + "\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"schemaVersion\":2}");
        assertThat(layout.resolve("blobs/sha256/44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"))
                .hasContent("{}");
        assertThat(TestTrees.snapshot(layout).keySet()).containsExactlyInAnyOrder("blobs/", "blobs/sha256/",
                "blobs/sha256/" + Digests.hex(artifact.manifestDigest()),
                "blobs/sha256/" + Digests.hex(artifact.layerDigest()),
                "blobs/sha256/" + Digests.hex(Descriptor.EMPTY_JSON.digest()), "index.json", "oci-layout");
    }

    @Test
    void sameTreeBuiltTwiceDifferentlyOnDiskGivesIdenticalLayouts() {
        List<String> order = new ArrayList<>(TestTrees.BUNDLE.keySet());
        Path a = TestTrees.write(tmp.resolve("a"), TestTrees.BUNDLE, order, Instant.parse("2021-03-03T03:03:03Z"),
                "rw-------", "rwx------");
        Collections.reverse(order);
        Path b = TestTrees.write(tmp.resolve("b"), TestTrees.BUNDLE, order, Instant.now(), "rwxr-xr-x", "rwxrwxr-x");

        OciArtifact first = OciLayoutWriter.write(a, SPEC, TestTrees.OUTPUT_TIMESTAMP, tmp.resolve("oci-a"));
        OciArtifact second = OciLayoutWriter.write(b, SPEC, TestTrees.OUTPUT_TIMESTAMP, tmp.resolve("oci-b"));

        assertThat(second.layerDigest()).isEqualTo(first.layerDigest());
        assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
        assertThat(second.manifestBytes()).isEqualTo(first.manifestBytes());
        assertThat(TestTrees.sameContent(TestTrees.snapshot(tmp.resolve("oci-a")), TestTrees.snapshot(tmp.resolve("oci-b"))))
                .as("layouts byte-identical").isTrue();
    }

    @Test
    void oneChangedByteChangesLayerAndManifestDigests() throws IOException {
        Path tree = TestTrees.bundle(tmp.resolve("tree"));
        OciArtifact before = OciLayoutWriter.write(tree, SPEC, TestTrees.OUTPUT_TIMESTAMP, tmp.resolve("before"));
        Path file = tree.resolve("k3s/namespace.yaml");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 2] ^= 1;
        Files.write(file, bytes);

        OciArtifact after = OciLayoutWriter.write(tree, SPEC, TestTrees.OUTPUT_TIMESTAMP, tmp.resolve("after"));

        assertThat(after.layerDigest()).isNotEqualTo(before.layerDigest());
        assertThat(after.manifestDigest()).isNotEqualTo(before.manifestDigest());
    }

    @Test
    void readingTheLayoutGivesWhatWasWritten() {
        OciArtifact written = OciLayoutWriter.write(TestTrees.bundle(tmp.resolve("tree")), SPEC,
                TestTrees.OUTPUT_TIMESTAMP, tmp.resolve("oci"));

        OciLayout layout = OciLayout.read(tmp.resolve("oci"));

        assertThat(layout.tag()).isEqualTo("0.1.0");
        assertThat(layout.manifestDigest()).isEqualTo(written.manifestDigest());
        assertThat(layout.manifestBytes()).isEqualTo(written.manifestBytes());
        assertThat(layout.layerFile()).isEqualTo(written.layerFile());
        assertThat(layout.manifest().artifactType()).isEqualTo(MediaTypes.BUNDLE_ARTIFACT_TYPE);
        assertThat(layout.manifest().annotation(Annotations.VERSION)).isEqualTo("0.1.0");
        OciArtifact again = layout.toArtifact();
        assertThat(again.layerDigest()).isEqualTo(written.layerDigest());
        assertThat(again.layerSize()).isEqualTo(written.layerSize());
        assertThat(OciLayout.read(tmp.resolve("oci"), "0.1.0").manifestDigest()).isEqualTo(written.manifestDigest());
    }

    @Test
    void readerRefusesCorruptOrIncompleteLayouts() throws IOException {
        OciArtifact written = OciLayoutWriter.write(TestTrees.bundle(tmp.resolve("tree")), SPEC,
                TestTrees.OUTPUT_TIMESTAMP, tmp.resolve("oci"));
        byte[] layer = Files.readAllBytes(written.layerFile());
        layer[layer.length / 2] ^= 1;
        Files.write(written.layerFile(), layer);

        assertThatThrownBy(() -> OciLayout.read(tmp.resolve("oci")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("Invalid OCI image layout " + tmp.resolve("oci"))
                .hasMessageContaining("blob " + written.layerDigest() + " is corrupt");

        Files.delete(written.layerFile());
        assertThatThrownBy(() -> OciLayout.read(tmp.resolve("oci")))
                .isInstanceOf(BundleException.class).hasMessageContaining("missing " + written.layerFile());
        assertThatThrownBy(() -> OciLayout.read(tmp.resolve("oci"), "0.2.0"))
                .isInstanceOf(BundleException.class).hasMessageContaining("0 manifests tagged '0.2.0'");
    }

    @Test
    void rewritingReplacesTheLayoutAsAWhole() throws IOException {
        Path tree = TestTrees.bundle(tmp.resolve("tree"));
        Path layout = tmp.resolve("target/oci");
        OciArtifact first = OciLayoutWriter.write(tree, SPEC, TestTrees.OUTPUT_TIMESTAMP, layout);
        Files.writeString(tree.resolve("k3d/extra.yaml"), "extra: true\n");

        OciArtifact second = OciLayoutWriter.write(tree, SPEC, TestTrees.OUTPUT_TIMESTAMP, layout);

        assertThat(second.manifestDigest()).isNotEqualTo(first.manifestDigest());
        assertThat(first.layerFile()).doesNotExist();
        assertThat(OciLayout.read(layout).manifestDigest()).isEqualTo(second.manifestDigest());
        assertThat(siblings(layout)).containsExactly("oci");
    }

    @Test
    void aFailedWriteLeavesThePreviousLayoutAndNoDebris() throws IOException {
        Path tree = TestTrees.bundle(tmp.resolve("tree"));
        Path layout = tmp.resolve("target/oci");
        OciLayoutWriter.write(tree, SPEC, TestTrees.OUTPUT_TIMESTAMP, layout);
        Map<String, byte[]> before = TestTrees.snapshot(layout);
        Files.createSymbolicLink(tree.resolve("k3d/zz-link.yaml"), Path.of("namespace.yaml"));

        assertThatThrownBy(() -> OciLayoutWriter.write(tree, SPEC, TestTrees.OUTPUT_TIMESTAMP, layout))
                .isInstanceOf(BundleException.class).hasMessageContaining("k3d/zz-link.yaml is a symbolic link");

        assertThat(TestTrees.sameContent(TestTrees.snapshot(layout), before)).isTrue();
        assertThat(siblings(layout)).containsExactly("oci");

        Path fresh = tmp.resolve("target/never");
        assertThatThrownBy(() -> OciLayoutWriter.write(tree, SPEC, TestTrees.OUTPUT_TIMESTAMP, fresh))
                .isInstanceOf(BundleException.class);
        assertThat(fresh).doesNotExist();
        assertThat(siblings(layout)).containsExactly("oci");
    }

    @Test
    void refusesToReplaceADirectoryThatIsNotALayout() throws IOException {
        Path precious = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(precious.resolve("notes.txt"), "keep me");

        assertThatThrownBy(() -> OciLayoutWriter.write(TestTrees.bundle(tmp.resolve("tree")), SPEC,
                TestTrees.OUTPUT_TIMESTAMP, precious))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining(precious + ": the directory exists, is not empty and has no oci-layout");
        assertThat(precious.resolve("notes.txt")).hasContent("keep me");
    }

    private static List<String> siblings(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir.getParent())) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
