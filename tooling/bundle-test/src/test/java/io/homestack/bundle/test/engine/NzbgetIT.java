package io.homestack.bundle.test.engine;

import io.homestack.testsupport.SkipsCounted;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Debian's nzbget started by the engine: its API behind the login, a queue that survives a restart. */
@ExtendWith(SkipsCounted.class)
class NzbgetIT {

    private static final String NZB = """
            <?xml version="1.0" encoding="UTF-8"?>
            <nzb xmlns="http://www.newzbin.com/DTD/2003/nzb">
              <file poster="kit@homestack.invalid" date="1767225600" subject="kit &quot;a.bin&quot; yEnc (1/1)">
                <groups><group>alt.binaries.test</group></groups>
                <segments><segment bytes="1000" number="1">a.bin.1@homestack.invalid</segment></segments>
              </file>
            </nzb>
            """;

    private static Nzbget nzbget;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        nzbget = Nzbget.locate();
    }

    @Test
    void theApiAnswersTheControlLoginOnlyAndTheQueueSurvivesARestart() {
        try (Nzbget.Server server = nzbget.start("nzbget", "kit-pw", dir)) {
            assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
            assertThat(server.call("version").asText()).matches("\\d+\\.\\d+.*");
            assertThat(server.post("{\"method\":\"version\",\"params\":[]}", "nzbget", "wrong").statusCode()).isEqualTo(401);

            int id = server.append("a.nzb", NZB, "tv", true);
            assertThat(server.call("listgroups").get(0).get("NZBID").asInt()).isEqualTo(id);

            server.stop();
            assertThat(server.running()).isFalse();
            assertThatThrownBy(() -> server.call("version")).hasMessageStartingWith("nzbget version: no answer");
            server.start();
            assertThat(server.log()).hasFileName("nzbget-2.log");
            assertThat(server.call("listgroups").get(0).get("Status").asText()).isEqualTo("PAUSED");
        }
    }
}
