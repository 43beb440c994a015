package io.homestack.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserHomeTest {

    @Test
    void homeFromTheEnvironmentWinsOverUserHomeAsInAGitHubContainerJob() {
        Map<String, String> env = Map.of("HOME", "/github/home");
        Map<String, String> props = Map.of("user.home", "/root");
        assertThat(UserHome.of(env::get, props::get)).contains(Path.of("/github/home"));
    }

    @Test
    void userHomeServesWhereHomeIsUnsetOrBlank() {
        Map<String, String> props = Map.of("user.home", "/root");
        assertThat(UserHome.of(Map.<String, String>of()::get, props::get)).contains(Path.of("/root"));
        assertThat(UserHome.of(Map.of("HOME", " ")::get, props::get)).contains(Path.of("/root"));
    }

    @Test
    void neitherSetIsEmpty() {
        assertThat(UserHome.of(Map.<String, String>of()::get, Map.<String, String>of()::get)).isEmpty();
    }
}
