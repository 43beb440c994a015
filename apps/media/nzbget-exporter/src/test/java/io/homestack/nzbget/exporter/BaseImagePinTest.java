package io.homestack.nzbget.exporter;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The base image Jib builds on is the one tooling/base-image/java17.lock pins, by digest (tooling/component-parent). */
class BaseImagePinTest {

    @Test
    void jibsBaseImageIsTheLocksDigest() throws Exception {
        String baseImage = System.getProperty("homestack.baseImage");
        assertThat(baseImage).as("set by tooling/component-parent for the tests").isNotBlank();
        String lockedImage = Files.readAllLines(Path.of("../../../tooling/base-image/java17.lock")).stream()
                .filter(l -> l.startsWith("image ")).findFirst().orElseThrow().substring("image sha256:".length());
        assertThat(Path.of(baseImage).getFileName()).hasToString("java17-" + lockedImage + ".tar");
    }
}
