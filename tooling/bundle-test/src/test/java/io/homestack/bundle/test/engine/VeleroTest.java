package io.homestack.bundle.test.engine;

import io.homestack.bundle.AtomicDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class VeleroTest {

    /** A socket go-plugin names like this one must fit in sockaddr_un (107 bytes) from any run directory. */
    @Test
    void tempDirStaysShortUnderADeepRunDirectory(@TempDir Path dir) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("a".repeat(60)).resolve("b".repeat(60)).resolve("velero"));
        Path tmp = Velero.shortTempDir(runDir);
        try {
            String socket = tmp.resolve("plugin3020861827").toString();
            assertThat(runDir.resolve("tmp/plugin3020861827").toString().getBytes(StandardCharsets.UTF_8))
                    .hasSizeGreaterThan(107);
            assertThat(socket.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(107);
            assertThat(Files.readSymbolicLink(runDir.resolve("tmp"))).isEqualTo(tmp);
            Path again = Velero.shortTempDir(runDir);
            AtomicDirectory.deleteQuietly(again);
            assertThat(again).as("a second start relinks").isNotEqualTo(tmp);
        } finally {
            AtomicDirectory.deleteQuietly(tmp);
        }
        assertThat(tmp).doesNotExist();
    }
}
