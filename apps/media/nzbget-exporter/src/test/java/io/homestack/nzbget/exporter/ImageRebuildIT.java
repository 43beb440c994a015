package io.homestack.nzbget.exporter;

import io.homestack.bundle.test.image.ImageRebuild;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image is reproducible: Jib builds it a second time (same Maven, same repository, offline) into another file,
 * and the manifest digest and the whole tarball are the same as the build's (target/oci, target/jib-image.tar).
 */
class ImageRebuildIT {

    @Test
    void aSecondBuildGivesTheSameDigestAndBytes() throws Exception {
        ImageRebuild rebuild = ImageRebuild.run();
        assertThat(rebuild.rebuiltDigest()).isEqualTo(rebuild.builtDigest());
        assertThat(rebuild.rebuiltTarSha256()).isEqualTo(rebuild.builtTarSha256());
        System.out.println("[homestack] nzbget-exporter image built twice: " + rebuild.builtDigest());
    }
}
