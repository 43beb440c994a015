package io.homestack.bundle.test.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.homestack.bundle.oci.ArtifactSpec;
import io.homestack.bundle.oci.Descriptor;
import io.homestack.bundle.oci.LocalRegistry;
import io.homestack.bundle.oci.LocalRegistryExtension;
import io.homestack.bundle.oci.MediaTypes;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.OciLayoutWriter;
import io.homestack.bundle.oci.PushResult;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.sbom.Sbom;
import io.homestack.bundle.sbom.SbomReferrer;
import io.homestack.testsupport.SkipsCounted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What release.yaml does to a published artifact, here with the real cosign (COSIGN_VERSION, the cosign-installer
 * default) against Debian's docker-registry (distribution 2.8: no referrers API): homestack:push pushes a bundle and
 * attaches its SBOM through the referrers tag schema, cosign signs the digest, and v3 writes its signature (a Sigstore
 * bundle) as another OCI 1.1 referrer through the same tag. Neither may drop the other: the SBOM stays listed after
 * signing, and the signature still verifies after the same bundle is pushed again. Offline: a key pair instead of
 * keyless, no transparency log (what only GitHub can prove: docs/ci.md, "Signing").
 */
@ExtendWith({LocalRegistryExtension.class, SkipsCounted.class})
class CosignSigningIT {

    /** What cosign's signature is listed as in the referrers tag index (see the first test). */
    private static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";

    private static Cosign cosign;
    private static Cosign.KeyPair key;

    private LocalRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cosignAndAKeyPair(@TempDir Path home) {
        cosign = Cosign.locate(home);
        key = cosign.generateKeyPair(home.resolve("keys"), "test-only-password");
    }

    @Test
    void aSignedBundleKeepsItsSbomAndStaysVerifiableWhenPushedAgain() {
        RegistryClient client = RegistryClient.builder(registry.target("homestack")).build();
        OciLayout bundle = bundle("media", "k3d/configmap-env.yaml");
        Descriptor sbom = pushAsHomestackPushDoes(client, bundle, "media");
        String ref = registry.address() + "/homestack/media@" + bundle.manifestDigest();

        cosign.sign(key, ref).requireOk();

        List<Descriptor> referrers = client.referrers("media", bundle.manifestDigest());
        assertThat(referrers).as("the SBOM's entry as homestack:push wrote it, after cosign rewrote the index")
                .contains(sbom);
        // cosign's signature: go-containerregistry v0.21.3 (cosign v3.0.6's) lists it with the config's media type as
        // artifactType, not the manifest's Sigstore bundle type (cosign reads the index unfiltered, so it verifies)
        assertThat(referrers).as("cosign's signature referrer").hasSize(2).filteredOn(d -> !d.equals(sbom))
                .singleElement().extracting(Descriptor::artifactType).isEqualTo(EMPTY_CONFIG);
        cosign.verify(key, ref).requireOk();

        Descriptor again = pushAsHomestackPushDoes(client, bundle, "media");
        assertThat(again.digest()).isEqualTo(sbom.digest()); // the same SBOM: listed once
        assertThat(client.referrers("media", bundle.manifestDigest())).as("after the bundle was pushed again")
                .containsExactlyInAnyOrderElementsOf(referrers);
        Cosign.Result verified = cosign.verify(key, ref).requireOk();
        assertThat(verified.output()).contains("The signatures were verified against the specified public key");
    }

    @Test
    void anSbomAttachedAfterSigningKeepsTheSignature() {
        RegistryClient client = RegistryClient.builder(registry.target("homestack")).build();
        OciLayout bundle = bundle("late", "k3d/configmap-env.yaml");
        PushResult pushed = client.push(bundle, "late");
        String ref = pushed.pinnedReference();
        cosign.sign(key, ref).requireOk();
        List<Descriptor> signature = client.referrers("late", bundle.manifestDigest());
        assertThat(signature).as("cosign's referrers tag index").hasSize(1);

        // our writer adds to the index cosign made (the SBOM after the signature, as a second push would)
        PushResult sbom = SbomReferrer.attach(client, bundle, pushed, "late", tmp.resolve("sbom-late"));

        assertThat(client.referrers("late", bundle.manifestDigest())).hasSize(2).containsAll(signature)
                .anySatisfy(d -> assertThat(d.digest()).isEqualTo(sbom.digest()));
        cosign.verify(key, ref).requireOk();
    }

    @Test
    void aSignatureOfOneDigestDoesNotVerifyAnother() {
        RegistryClient client = RegistryClient.builder(registry.target("homestack")).build();
        OciLayout signed = bundle("signed", "k3d/a.yaml");
        OciLayout other = bundle("other", "k3d/b.yaml");
        pushAsHomestackPushDoes(client, signed, "tampered");
        pushAsHomestackPushDoes(client, other, "tampered");
        String repo = registry.address() + "/homestack/tampered@";
        cosign.sign(key, repo + signed.manifestDigest()).requireOk();

        Cosign.Result result = cosign.verify(key, repo + other.manifestDigest());

        assertThat(result.ok()).as(result.output()).isFalse();
        assertThat(result.output()).contains("no signatures found");
        cosign.verify(key, repo + signed.manifestDigest()).requireOk();
    }

    /** PushMojo's calls: the artifact, then its SBOM as a referrer; returns the SBOM's entry in the referrers index. */
    private Descriptor pushAsHomestackPushDoes(RegistryClient client, OciLayout layout, String name) {
        PushResult pushed = client.push(layout, name);
        PushResult attached = SbomReferrer.attach(client, layout, pushed, name, tmp.resolve("sbom-" + name));
        Descriptor entry = client.referrers(name, pushed.digest()).stream()
                .filter(d -> d.digest().equals(attached.digest())).findFirst().orElseThrow();
        assertThat(entry.artifactType()).isEqualTo(Sbom.MEDIA_TYPE);
        return entry;
    }

    private OciLayout bundle(String name, String file) {
        Path tree = tmp.resolve("tree-" + name);
        try {
            Files.createDirectories(tree.resolve(".homestack"));
            Files.createDirectories(tree.resolve(file).getParent());
            Files.writeString(tree.resolve(".homestack/bundle.json"), "{\"charts\":[],\"images\":{},\"name\":\""
                    + name + "\",\"version\":\"0.1.0\"}");
            Files.writeString(tree.resolve(file), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path built = tmp.resolve("built-" + name);
        OciLayoutWriter.write(tree, ArtifactSpec.of(name, "0.1.0"), Instant.parse("2020-05-05T10:00:00Z"), built);
        OciLayout layout = OciLayout.read(built);
        assertThat(layout.manifest().artifactType()).isEqualTo(MediaTypes.BUNDLE_ARTIFACT_TYPE);
        return layout;
    }
}
