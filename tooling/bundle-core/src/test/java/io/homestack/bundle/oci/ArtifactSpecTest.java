package io.homestack.bundle.oci;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactSpecTest {

    @Test
    void tagDefaultsToVersionAndLayerIsTitledByNameAndVersion() {
        ArtifactSpec spec = ArtifactSpec.of("home-automation", "1.4.0-rc.1");
        assertThat(spec.tag()).isEqualTo("1.4.0-rc.1");
        assertThat(spec.layerTitle()).isEqualTo("home-automation-1.4.0-rc.1.tar.gz");
    }

    @Test
    void refusesBuildMetadataBecauseArgoCdReadsUnderscoreAsPlus() {
        assertThatThrownBy(() -> ArtifactSpec.of("media", "1.0.0+build.5"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("media")
                .hasMessageContaining("'1.0.0+build.5'")
                .hasMessageContaining("Argo CD reads '_' in a tag as '+'")
                .hasMessageContaining("'1.0.0-build.5'");
        assertThatThrownBy(() -> new ArtifactSpec("media", "1.0.0", null, null, null, "1.0.0_5"))
                .isInstanceOf(BundleException.class).hasMessageContaining("'_'");
    }

    @Test
    void refusesNamesAndTagsTheRegistryWouldRefuse() {
        assertThatThrownBy(() -> ArtifactSpec.of("Media", "1.0.0"))
                .isInstanceOf(BundleException.class).hasMessageContaining("Invalid bundle name 'Media'");
        assertThatThrownBy(() -> new ArtifactSpec("media", "1.0.0", null, null, null, "-x"))
                .isInstanceOf(BundleException.class).hasMessageContaining("cannot be tagged '-x'");
        assertThatThrownBy(() -> ArtifactSpec.of("media", " "))
                .isInstanceOf(BundleException.class).hasMessageContaining("no version");
    }
}
