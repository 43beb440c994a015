package io.homestack.bundle.test.engine;

import io.homestack.bundle.test.internal.TestBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineBinariesTest {

    @Test
    void aMissingEngineNamesItselfTheDirectoryAndTheBuildCommand(@TempDir Path dir) {
        TestBinaries binaries = TestBinaries.inDirectory(dir);

        // a skip outside CI, a failure in CI (TestTools): the same message either way
        assertThatThrownBy(() -> EngineBinaries.require(binaries, "otelcol"))
                .hasMessageContaining("otelcol is not built in " + binaries.binDir())
                .hasMessageContaining("k8s-test-binaries/build.sh otelcol");
    }

    @Test
    void aBuiltEngineIsFoundInTheBinariesDirectory(@TempDir Path dir) throws Exception {
        TestBinaries binaries = TestBinaries.inDirectory(dir);
        Files.createDirectories(binaries.binDir());
        Path jaeger = Files.createFile(binaries.binary("jaeger"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));

        assertThat(EngineBinaries.require(binaries, "jaeger")).isEqualTo(jaeger);
    }
}
