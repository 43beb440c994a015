package io.homestack.bundle.oci;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Push and pull against a real registry (Debian's docker-registry), checked with skopeo as a second client. */
@ExtendWith(LocalRegistryExtension.class)
class RegistryRoundTripTest {

    private LocalRegistry registry;

    @TempDir
    Path tmp;

    private RegistryClient client() {
        return RegistryClient.builder(registry.target("homestack")).build();
    }

    private OciLayout built(String name) {
        ArtifactSpec spec = new ArtifactSpec(name, "0.1.0", "https://github.com/homestack/homestack", "abc123",
                "round trip", null);
        OciLayoutWriter.write(TestTrees.bundle(tmp.resolve("tree-" + name)), spec, TestTrees.OUTPUT_TIMESTAMP,
                tmp.resolve("built-" + name));
        return OciLayout.read(tmp.resolve("built-" + name));
    }

    @Test
    void pulledLayoutIsByteIdenticalToTheBuiltOne() {
        OciLayout built = built("media");
        RegistryClient client = client();

        PushResult pushed = client.push(built, "media");

        assertThat(pushed.digest()).isEqualTo(built.manifestDigest());
        assertThat(pushed.reference()).isEqualTo(registry.address() + "/homestack/media:0.1.0");
        assertThat(pushed.pinnedReference()).isEqualTo(registry.address() + "/homestack/media@" + built.manifestDigest());
        assertThat(pushed.blobsUploaded()).isEqualTo(2);
        assertThat(client.resolve("media", "0.1.0")).isEqualTo(built.manifestDigest());

        OciLayout byTag = client.pull("media", "0.1.0", tmp.resolve("pulled"));
        assertThat(byTag.manifestDigest()).isEqualTo(built.manifestDigest());
        assertThat(TestTrees.sameContent(TestTrees.snapshot(tmp.resolve("pulled")),
                TestTrees.snapshot(tmp.resolve("built-media")))).as("pulled layout equals built layout").isTrue();

        OciLayout byDigest = client.pull("media", built.manifestDigest(), tmp.resolve("pinned"));
        assertThat(byDigest.tag()).isNull();
        assertThat(byDigest.manifestBytes()).isEqualTo(built.manifestBytes());
        assertThat(byDigest.layerFile()).hasSameBinaryContentAs(built.layerFile());
    }

    @Test
    void pushingTwiceUploadsNothingAndKeepsTheDigest() {
        OciLayout built = built("backup");
        RegistryClient client = client();

        PushResult first = client.push(built, "backup");
        PushResult second = client.push(built, "backup");

        assertThat(second.digest()).isEqualTo(first.digest()).isEqualTo(built.manifestDigest());
        assertThat(second.blobsUploaded()).isZero();
        assertThat(second.blobsSkipped()).isEqualTo(2);
        PushResult retagged = client.push(built, "backup", "latest-main");
        assertThat(retagged.digest()).isEqualTo(built.manifestDigest());
        assertThat(client.resolve("backup", "latest-main")).isEqualTo(built.manifestDigest());
    }

    @Test
    void skopeoSeesThePushedArtifact() throws IOException {
        OciLayout built = built("security");
        client().push(built, "security");
        String ref = "docker://" + registry.address() + "/homestack/security:0.1.0";

        byte[] raw = Skopeo.run("inspect", "--tls-verify=false", "--raw", ref).stdoutBytes();
        assertThat(raw).isEqualTo(built.manifestBytes());
        JsonNode manifest = CanonicalJson.parse(raw);
        assertThat(manifest.path("artifactType").asText()).isEqualTo(MediaTypes.BUNDLE_ARTIFACT_TYPE);
        assertThat(manifest.path("layers")).hasSize(1);

        JsonNode tags = CanonicalJson.parse(Skopeo.run("list-tags", "--tls-verify=false",
                "docker://" + registry.address() + "/homestack/security").stdoutBytes());
        assertThat(tags.path("Tags").toString()).isEqualTo("[\"0.1.0\"]");
    }

    @Test
    void whatSkopeoPushesWeResolveAndPullToTheSameDigest() {
        OciLayout built = built("observability");
        Skopeo.run("copy", "--insecure-policy", "--dest-tls-verify=false", "oci:" + built.dir() + ":0.1.0",
                "docker://" + registry.address() + "/homestack/observability:0.1.0");

        RegistryClient client = client();
        assertThat(client.resolve("observability", "0.1.0")).isEqualTo(built.manifestDigest());
        assertThat(client.pull("observability", "0.1.0", tmp.resolve("pulled")).layerFile())
                .hasSameBinaryContentAs(built.layerFile());
    }
}
