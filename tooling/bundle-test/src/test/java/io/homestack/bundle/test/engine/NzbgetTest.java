package io.homestack.bundle.test.engine;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The nzbget.conf the engine writes. */
class NzbgetTest {

    @TempDir
    Path dir;

    @Test
    void theBinaryIsTheFirstOnThePathSoThatAPathWithoutItHidesIt() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path nzbget = Files.writeString(bin.resolve("nzbget"), "#!/bin/sh\n");
        assertThat(Nzbget.onPath(dir.resolve("none") + ":" + bin)).isEmpty();
        assertThat(nzbget.toFile().setExecutable(true)).isTrue();
        assertThat(Nzbget.onPath(dir.resolve("none") + "::" + bin)).contains(nzbget);
        assertThat(Nzbget.onPath(null)).isEmpty();
    }

    @Test
    void everyDirectoryIsUnderTheRunDirectoryAndTheApiOnLoopbackWithTheLogin() {
        String conf = Nzbget.config(Path.of("/run/t/main"), 16789, "nzbget", "pw", Map.of());
        assertThat(conf.lines()).contains("MainDir=/run/t/main", "DestDir=/run/t/main/dest", "InterDir=/run/t/main/inter",
                "NzbDir=/run/t/main/nzb", "QueueDir=/run/t/main/queue", "TempDir=/run/t/main/temp",
                "ScriptDir=/run/t/main/script", "LockFile=/run/t/main/nzbget.lock", "ControlIP=127.0.0.1",
                "ControlPort=16789", "ControlUsername=nzbget", "ControlPassword=pw", "RestrictedUsername=",
                "AddUsername=", "OutputMode=log");
    }

    @Test
    void theTestsOptionsWinAndALineBreakIsRefused() {
        String conf = Nzbget.config(Path.of("/m"), 1, "u", "p", Map.of("DiskSpace", "0", "Server1.Host", "127.0.0.1"));
        assertThat(conf.lines()).contains("DiskSpace=0", "Server1.Host=127.0.0.1");
        assertThat(Nzbget.config(Path.of("/m"), 1, "u", "p", Map.of("ControlIP", "0.0.0.0")).lines())
                .contains("ControlIP=0.0.0.0").doesNotContain("ControlIP=127.0.0.1");
        assertThatThrownBy(() -> Nzbget.config(Path.of("/m"), 1, "u", "p", Map.of("Server1.Name", "a\nControlPassword=")))
                .hasMessage("nzbget option Server1.Name has a line break in its value");
    }
}
