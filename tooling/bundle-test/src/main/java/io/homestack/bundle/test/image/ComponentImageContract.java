package io.homestack.bundle.test.image;

import io.homestack.bundle.test.internal.TestBinaries;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every module built on tooling/component-parent must hold, as tests it inherits
 * ({@code class BaseImagePinTest extends ComponentImageContract {}}): Jib builds on the base image that
 * tooling/base-image/java17.lock pins, by digest. The parent names that digest a second time (Jib's {@code from}
 * needs it before the build runs); this keeps the two equal in every module that inherits it.
 */
public abstract class ComponentImageContract {

    @Test
    void jibsBaseImageIsTheLocksDigest() throws IOException {
        String baseImage = System.getProperty("homestack.baseImage");
        assertThat(baseImage).as("set by tooling/component-parent for the tests").isNotBlank();
        Path lock = TestBinaries.repoRoot().resolve("tooling/base-image/java17.lock");
        String lockedImage = Files.readAllLines(lock).stream().filter(l -> l.startsWith("image sha256:")).findFirst()
                .orElseThrow(() -> new AssertionError(lock + " has no 'image sha256:' line"))
                .substring("image sha256:".length());
        assertThat(Path.of(baseImage).getFileName()).as("component-parent's base image against " + lock)
                .hasToString("java17-" + lockedImage + ".tar");
    }
}
