package io.homestack.bundle.release;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.ArtifactSpec;
import io.homestack.bundle.oci.LocalRegistry;
import io.homestack.bundle.oci.LocalRegistryExtension;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.OciLayoutWriter;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.render.ArtifactTreeWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A release is refused by a real registry (Debian's docker-registry) until every bundle it pins is there. */
@ExtendWith(LocalRegistryExtension.class)
class ReleasePinsTest {

    private static LocalRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRegistry(LocalRegistry started) {
        registry = started;
    }

    private OciLayout built(String name, String file, String content) throws IOException {
        Path tree = tmp.resolve("tree-" + name);
        Files.createDirectories(tree.resolve(".homestack"));
        Files.writeString(tree.resolve(file), content);
        OciLayoutWriter.write(tree, ArtifactSpec.of(name, "1.0.0"), Instant.parse("2026-01-01T00:00:00Z"),
                tmp.resolve("oci-" + name));
        return OciLayout.read(tmp.resolve("oci-" + name));
    }

    private static ReleaseManifest.Bundle pin(String name, String digest) {
        return new ReleaseManifest.Bundle(name, "1.0.0", digest, "platform", 0, "oci://cluster/homestack/" + name, List.of());
    }

    @Test
    void aReleaseIsRefusedUntilTheRegistryHasEveryPinnedDigest() throws IOException {
        RegistryClient client = RegistryClient.builder(registry.target("homestack")).build();
        OciLayout storage = built("storage", ".homestack/bundle.json", "{\"name\":\"storage\"}");
        OciLayout media = built("media", ".homestack/bundle.json", "{\"name\":\"media\"}");
        client.push(storage, "storage");
        ReleaseManifest release = new ReleaseManifest("release-k3d", "1.0.0", "k3d",
                List.of(pin("media", media.manifestDigest()), pin("storage", storage.manifestDigest())), List.of(), List.of());

        assertThatThrownBy(() -> ReleasePins.requirePushed(release, client, "mvn deploy -pl clusters/k3d -am"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("release release-k3d is not pushed: it pins 1 bundle(s) that " + registry.address())
                .hasMessageContaining("homestack/media@" + media.manifestDigest() + " (media 1.0.0)")
                .hasMessageNotContaining("homestack/storage@")
                .hasMessageEndingWith("push the bundles first: mvn deploy -pl clusters/k3d -am");

        client.push(media, "media");
        ReleasePins.requirePushed(release, client, "unused");
    }

    @Test
    void anotherDigestOfAPushedBundleIsMissing() throws IOException {
        RegistryClient client = RegistryClient.builder(registry.target("homestack")).build();
        OciLayout pushed = built("istio", ".homestack/bundle.json", "{\"name\":\"istio\"}");
        OciLayout rebuilt = built("istio-next", ".homestack/bundle.json", "{\"name\":\"istio\",\"changed\":true}");
        client.push(pushed, "istio");
        ReleaseManifest release = new ReleaseManifest("release-k3d", "1.0.0", "k3d",
                List.of(pin("istio", rebuilt.manifestDigest())), List.of(), List.of());

        assertThatThrownBy(() -> ReleasePins.requirePushed(release, client, "make push"))
                .hasMessageContaining("homestack/istio@" + rebuilt.manifestDigest());
    }

    @Test
    void onlyAReleaseArtifactHasPins() throws IOException {
        ReleaseManifest manifest = new ReleaseManifest("release-k3d", "1.0.0", "k3d",
                List.of(pin("media", "sha256:" + "a".repeat(64))), List.of(), List.of());
        OciLayout release = built("release-k3d", ReleaseManifest.PATH,
                ArtifactTreeWriter.JSON.writeValueAsString(manifest));
        OciLayout bundle = built("media", ".homestack/bundle.json", "{\"name\":\"media\"}");

        assertThat(ReleasePins.read(release)).contains(manifest);
        assertThat(ReleasePins.read(bundle)).isEmpty();
    }
}
