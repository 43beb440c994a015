package io.homestack.bundle.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.sbom.Sbom;
import io.homestack.bundle.sbom.SbomReferrer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SBOM attached to a pushed bundle as an OCI 1.1 referrer, on a registry without the referrers API (Debian's
 * docker-registry, distribution 2.8): found through the referrers tag schema and read back with skopeo.
 */
@ExtendWith(LocalRegistryExtension.class)
class RegistryReferrerTest {

    private LocalRegistry registry;

    @TempDir
    Path tmp;

    @Test
    void theSbomIsFoundFromTheBundlesDigestAndReadBackByAnotherClient() throws Exception {
        RegistryClient client = RegistryClient.builder(registry.target("homestack")).build();
        OciLayout bundle = bundle();
        client.push(bundle, "media");
        OciLayout sbom = SbomReferrer.write(bundle, registry.address() + "/homestack/media", tmp.resolve("sbom"));

        PushResult attached = client.pushReferrer(sbom, "media");
        client.pushReferrer(sbom, "media"); // again: listed once

        assertThat(attached.digest()).isEqualTo(sbom.manifestDigest());
        String repo = "docker://" + registry.address() + "/homestack/media";
        String fallbackTag = bundle.manifestDigest().replace(':', '-');
        JsonNode index = CanonicalJson.parse(Skopeo.run("inspect", "--tls-verify=false", "--raw",
                repo + ":" + fallbackTag).stdoutBytes());
        assertThat(index.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.path("manifests")).singleElement().satisfies(m -> {
            assertThat(m.path("digest").asText()).isEqualTo(sbom.manifestDigest());
            assertThat(m.path("artifactType").asText()).isEqualTo(Sbom.MEDIA_TYPE);
        });

        assertThat(client.referrers("media", bundle.manifestDigest())).singleElement().satisfies(d -> {
            assertThat(d.digest()).isEqualTo(sbom.manifestDigest());
            assertThat(d.artifactType()).isEqualTo(Sbom.MEDIA_TYPE);
            assertThat(d.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        });
        assertThat(client.referrers("media", sbom.manifestDigest())).as("no index: no referrers").isEmpty();

        JsonNode manifest = CanonicalJson.parse(Skopeo.run("inspect", "--tls-verify=false", "--raw",
                repo + "@" + sbom.manifestDigest()).stdoutBytes());
        assertThat(manifest.at("/subject/digest").asText()).isEqualTo(bundle.manifestDigest());
        assertThat(manifest.path("artifactType").asText()).isEqualTo(Sbom.MEDIA_TYPE);
        Path copied = tmp.resolve("copied");
        Skopeo.run("copy", "--insecure-policy", "--src-tls-verify=false", repo + "@" + sbom.manifestDigest(),
                "dir:" + copied);
        String layer = manifest.at("/layers/0/digest").asText().substring("sha256:".length());
        assertThat(copied.resolve(layer)).hasSameBinaryContentAs(sbom.blobPath("sha256:" + layer));
        JsonNode bom = CanonicalJson.parse(Files.readAllBytes(copied.resolve(layer)));
        assertThat(bom.at("/metadata/component/purl").asText()).contains(bundle.manifestDigest().replace(":", "%3A"));
    }

    @Test
    void aLayoutWithoutSubjectIsNotAttached() {
        RegistryClient client = RegistryClient.builder(registry.target("homestack")).build();
        OciLayout plain = bundle();
        assertThatThrownBy(() -> client.pushReferrer(plain, "media")).isInstanceOf(BundleException.class)
                .hasMessageContaining("has no subject: it refers to nothing");
    }

    private OciLayout bundle() {
        Path tree = tmp.resolve("tree");
        try {
            Files.createDirectories(tree.resolve(".homestack"));
            Files.createDirectories(tree.resolve("k3d"));
            Files.writeString(tree.resolve(".homestack/bundle.json"), "{\"charts\":[],\"images\":{\"k3d\":"
                    + "[\"lscr.io/linuxserver/sonarr:4.0.19.2979-ls320\"]},\"name\":\"media\",\"version\":\"0.1.0\"}");
            Files.writeString(tree.resolve("k3d/configmap-env.yaml"),
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env\n  namespace: media\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        OciLayoutWriter.write(tree, new ArtifactSpec("media", "0.1.0", null, null, null, null),
                Instant.parse("2020-05-05T10:00:00Z"), tmp.resolve("built"));
        return OciLayout.read(tmp.resolve("built"));
    }
}
