package io.homestack.eventbridge;

import io.homestack.bundle.test.image.ImageRebuild;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image is reproducible: Jib builds it a second time (same Maven, same repository, offline, this module alone)
 * and the manifest digest and the whole tarball equal the build's. Its runtime classpath is third-party jars only, so
 * a reactor build and a single-module build label the layers the same.
 */
class ImageRebuildIT {

    @Test
    void aSecondBuildGivesTheSameDigestAndBytes() throws Exception {
        ImageRebuild rebuild = ImageRebuild.run();
        assertThat(rebuild.rebuiltDigest()).isEqualTo(rebuild.builtDigest());
        assertThat(rebuild.rebuiltTarSha256()).isEqualTo(rebuild.builtTarSha256());
        System.out.println("[homestack] event-bridge image built twice: " + rebuild.builtDigest());
    }
}
