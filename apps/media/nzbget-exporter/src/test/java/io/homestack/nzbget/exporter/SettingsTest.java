package io.homestack.nzbget.exporter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreThePodsNzbgetWithoutLoginAndFrebibsPort() {
        Settings s = Settings.from(Map.of());
        assertThat(s.nzbgetUrl()).isEqualTo(URI.create("http://localhost:6789"));
        assertThat(s.jsonRpc()).isEqualTo(URI.create("http://localhost:6789/jsonrpc"));
        assertThat(s.username()).isNull();
        assertThat(s.password()).isNull();
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.metricsPort()).isEqualTo(9452);
    }

    @Test
    void theLoginComesFromMountedFilesBeforeVariablesAndIsNeverPrinted() throws IOException {
        Path user = Files.writeString(dir.resolve("username"), "nzbget\n");
        Settings s = Settings.from(Map.of("NZBGET_USER_FILE", user.toString(), "NZBGET_USER", "ignored",
                "NZBGET_PASS", "s3cret", "NZBGET_URL", "http://nzbget.media.svc:6789/", "NZBGET_TIMEOUT", "8",
                "METRICS_PORT", "0"));
        assertThat(s.username()).isEqualTo("nzbget");
        assertThat(s.password()).isEqualTo("s3cret");
        assertThat(s.jsonRpc()).isEqualTo(URI.create("http://nzbget.media.svc:6789/jsonrpc"));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(8));
        assertThat(s.toString()).contains("as nzbget").doesNotContain("s3cret");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> Settings.from(Map.of("METRICS_PORT", "http")))
                .hasMessage("METRICS_PORT='http' is not a number");
        assertThatThrownBy(() -> Settings.from(Map.of("METRICS_PORT", "70000")))
                .hasMessage("METRICS_PORT='70000' is not between 0 and 65535");
        assertThatThrownBy(() -> Settings.from(Map.of("NZBGET_TIMEOUT", "0")))
                .hasMessage("NZBGET_TIMEOUT='0' is not between 1 and 300");
        assertThatThrownBy(() -> Settings.from(Map.of("NZBGET_URL", "localhost:6789")))
                .hasMessageStartingWith("NZBGET_URL='localhost:6789': not an http(s)://host");
        assertThatThrownBy(() -> Settings.from(Map.of("NZBGET_URL", "http://user:pw@localhost:6789")))
                .hasMessageStartingWith("NZBGET_URL='http://user:pw@localhost:6789': not an http(s)://host")
                .hasMessageContaining("without login");
        assertThatThrownBy(() -> Settings.from(Map.of("NZBGET_PASS_FILE", dir.resolve("none").toString())))
                .hasMessageStartingWith("NZBGET_PASS_FILE=" + dir.resolve("none") + ": cannot read");
    }

    @Test
    void halfALoginIsRefused() {
        assertThatThrownBy(() -> Settings.from(Map.of("NZBGET_USER", "nzbget")))
                .hasMessage("NZBGET_PASS (or NZBGET_PASS_FILE) is not set, but NZBGET_USER is: nzbget's login needs both");
        assertThatThrownBy(() -> Settings.from(Map.of("NZBGET_PASS", "pw", "NZBGET_USER", "")))
                .hasMessage("NZBGET_USER (or NZBGET_USER_FILE) is not set, but NZBGET_PASS is: nzbget's login needs both");
    }
}
