package io.homestack.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestBinariesDirTest {

    private static final Map<String, String> PROPS = Map.of("user.home", "/root");

    @Test
    void theVariableBuildShReadsWins() {
        Map<String, String> env = Map.of("HOMESTACK_K8S_BIN_DIR", "/cache/bins", "HOME", "/github/home");
        assertThat(TestBinariesDir.of(env::get, PROPS::get)).contains(Path.of("/cache/bins"));
    }

    @Test
    void elseKubeapitestInTheHomeTheScriptsSee() {
        Map<String, String> env = Map.of("HOMESTACK_K8S_BIN_DIR", "", "HOME", "/github/home");
        assertThat(TestBinariesDir.of(env::get, PROPS::get)).contains(Path.of("/github/home/.kubeapitest"));
        assertThat(TestBinariesDir.of(Map.<String, String>of()::get, PROPS::get)).contains(Path.of("/root/.kubeapitest"));
    }

    @Test
    void nothingSetIsEmpty() {
        assertThat(TestBinariesDir.of(Map.<String, String>of()::get, Map.<String, String>of()::get)).isEmpty();
    }
}
