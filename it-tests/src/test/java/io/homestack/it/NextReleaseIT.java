package io.homestack.it;

import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.release.ReleaseManifest;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.bundle.test.release.ReleaseModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The next release of the upgrade E2E: only the edited bundle's digest changes, and the release pins it. */
class NextReleaseIT {

    final ReleaseModule release = ReleaseModule.of(TestBinaries.repoRoot(), "clusters/k3d");

    @Test
    void anEditInOneBundleChangesOnlyThatBundlesDigestInTheRelease(@TempDir Path work) throws IOException {
        NextRelease.Built next = NextRelease.build(release, Path.of("apps/media"), work, ReleaseSyncIT.TZ);

        Map<String, String> before = digests(Files.readAllBytes(release.manifest()));
        Map<String, String> after = digests(releaseJson(next.release()));
        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(after.get("media")).isEqualTo(next.bundle().manifestDigest()).isNotEqualTo(before.get("media"));
        before.keySet().stream().filter(b -> !b.equals("media"))
                .forEach(b -> assertThat(after.get(b)).as("digest of unchanged bundle " + b).isEqualTo(before.get(b)));
    }

    @Test
    void noEditGivesTheSameDigestsAsTheBuild(@TempDir Path work) throws IOException {
        NextRelease.Built same = NextRelease.build(release, Path.of("apps/media"), work, src -> { });

        assertThat(same.bundle().manifestDigest())
                .isEqualTo(OciLayout.read(release.repo().resolve("apps/media/target/oci")).manifestDigest());
        assertThat(digests(releaseJson(same.release()))).isEqualTo(digests(Files.readAllBytes(release.manifest())));
    }

    @Test
    void anEditThatMatchesNothingFailsNamingTheFile(@TempDir Path work) {
        assertThatThrownBy(() -> NextRelease.build(release, Path.of("apps/media"), work,
                src -> NextRelease.replace(src.resolve("apps/media/bundle.yaml"), "no such text", "x")))
                .hasMessageContaining("apps/media/bundle.yaml no longer contains 'no such text'");
    }

    static Map<String, String> digests(byte[] releaseJson) throws IOException {
        return ArtifactTreeWriter.JSON.readValue(releaseJson, ReleaseManifest.class).bundles().stream()
                .collect(Collectors.toMap(ReleaseManifest.Bundle::name, ReleaseManifest.Bundle::digest));
    }

    /** .homestack/release.json from the release artifact's layer. */
    static byte[] releaseJson(OciLayout layout) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(layout.layerFile()));
             var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(in)) {
            for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().endsWith(ReleaseManifest.PATH)) {
                    return tar.readAllBytes();
                }
            }
        }
        throw new IllegalStateException("no " + ReleaseManifest.PATH + " in " + layout.layerFile());
    }
}
