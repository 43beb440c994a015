package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The search order, over executable files in a temporary directory (the locator never runs them). */
class KubesealLocatorTest {

    @TempDir
    Path tmp;

    private final Map<String, String> properties = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private final KubesealLocator locator = new KubesealLocator(properties::get, env::get);

    @Test
    void propertyThenEnvironmentThenPathThenTestBinaries() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        env.put("HOME", home.toString());
        assertThat(locator.locate()).isEmpty();

        Path legacy = executable(home.resolve(".kubeapitest/bin-kubeseal/kubeseal"));
        assertThat(locator.locate()).contains(legacy);

        executable(home.resolve(".kubeapitest/k8s/1.9.0-linux-amd64/kubeseal"));
        Path newest = executable(home.resolve(".kubeapitest/k8s/1.35.4-linux-amd64/kubeseal"));
        assertThat(locator.locate()).contains(newest);

        Path onPath = executable(tmp.resolve("bin/kubeseal"));
        env.put("PATH", tmp.resolve("empty") + ":" + onPath.getParent());
        assertThat(locator.locate()).contains(onPath);

        Path fromEnv = executable(tmp.resolve("env/kubeseal"));
        env.put("KUBESEAL", fromEnv.toString());
        assertThat(locator.locate()).contains(fromEnv);

        Path fromProperty = executable(tmp.resolve("prop/kubeseal"));
        properties.put("homestack.kubeseal", fromProperty.toString());
        assertThat(locator.locate()).contains(fromProperty);
    }

    @Test
    void theBinDirVariableMovesTheTestBinariesCache() throws Exception {
        env.put("HOME", tmp.resolve("home").toString());
        Path cached = executable(tmp.resolve("cache/k8s/1.35.4-linux-amd64/kubeseal"));
        env.put("HOMESTACK_K8S_BIN_DIR", tmp.resolve("cache").toString());
        assertThat(locator.locate()).contains(cached);
    }

    @Test
    void aConfiguredPathThatIsNotExecutableIsAnError() throws Exception {
        Path plain = Files.writeString(tmp.resolve("kubeseal"), "not executable");
        env.put("KUBESEAL", plain.toString());
        assertThatThrownBy(locator::locate)
                .isInstanceOf(BundleException.class)
                .hasMessage("environment variable KUBESEAL points at " + plain + ", which is not an executable file");
    }

    @Test
    void notFoundSaysHowToBuildIt() {
        env.put("HOME", tmp.toString());
        assertThatThrownBy(locator::require)
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("kubeseal not found")
                .hasMessageContaining("tooling/k8s-test-binaries/build.sh");
    }

    private static Path executable(Path path) throws Exception {
        Files.createDirectories(path.getParent());
        Files.writeString(path, "#!/bin/sh\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }
}
