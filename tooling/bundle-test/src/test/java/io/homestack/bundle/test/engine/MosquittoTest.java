package io.homestack.bundle.test.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MosquittoTest {

    @TempDir
    Path dir;

    @Test
    void theListenerMovesToLoopbackAndFilePathsUnderTheRunDirectoryTheRestStays() throws Exception {
        String config = Mosquitto.forTest(MosquittoIT.CONFIG + "log_dest file /mosquitto/log/mosquitto.log\nuser mosquitto\n",
                dir, 41883, true);

        assertThat(config.lines()).contains("listener 41883 127.0.0.1", "allow_anonymous false", "persistence true",
                "password_file " + dir.resolve("mosquitto/passwords/passwd"),
                "acl_file " + dir.resolve("mosquitto/config/acl"),
                "persistence_location " + dir.resolve("mosquitto/data") + "/",
                "log_dest file " + dir.resolve("mosquitto/log/mosquitto.log"), "user root")
                .doesNotContain("listener 1883", "user mosquitto");
        assertThat(dir.resolve("mosquitto/data")).as("persistence can write").isDirectory();
        assertThat(dir.resolve("mosquitto/log")).isDirectory();
    }

    @Test
    void aConfigurationWithoutListenerGetsOneAndNotRootKeepsItsUser() throws Exception {
        String config = Mosquitto.forTest("port 1883\nuser mosquitto\n", dir, 41883, false);

        assertThat(config.lines()).contains("listener 41883 127.0.0.1", "user mosquitto").doesNotContain("port 1883");
        assertThat(Mosquitto.forTest("allow_anonymous false\n", dir, 41884, false).lines())
                .contains("listener 41884 127.0.0.1");
    }

    @Test
    void twoListenersAreRefusedNamingBoth() {
        assertThatThrownBy(() -> Mosquitto.forTest("listener 1883\nlistener 9001\nprotocol websockets\n", dir, 1, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 listeners [listener 1883, listener 9001]");
        assertThat(Files.exists(dir.resolve("mosquitto.conf"))).isFalse();
    }
}
