package io.homestack.bundle.render;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KustomizeTest {

    @TempDir
    Path dir;

    @Test
    void neitherToolOnThePathSaysWhatToInstall() {
        assertThatThrownBy(() -> Kustomize.locate(dir.toString())).isInstanceOf(BundleException.class)
                .hasMessageContaining("Neither kustomize nor kubectl is on the PATH")
                .hasMessageContaining("Install kubectl");
    }

    @Test
    void prefersKustomizeOverKubectl() throws Exception {
        for (String tool : new String[] {"kubectl", "kustomize"}) {
            Path file = Files.createFile(dir.resolve(tool), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            assertThat(file).isExecutable();
        }
        assertThat(Kustomize.locate(dir.toString())).extracting("command").asList()
                .containsExactly(dir.resolve("kustomize").toString(), "build");
    }

    @Test
    void fallsBackToKubectlKustomize() throws Exception {
        Files.createFile(dir.resolve("kubectl"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThat(Kustomize.locate(dir.toString())).extracting("command").asList()
                .containsExactly(dir.resolve("kubectl").toString(), "kustomize");
    }
}
