package io.homestack.nzbget.exporter;

import io.homestack.bundle.net.FreePorts;
import io.homestack.nzbget.exporter.NzbgetClient.NzbgetException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How nzbget's answers and failures become results or reasons a person can act on. */
class NzbgetClientTest {

    private static final NzbgetClient WITH_LOGIN = new NzbgetClient(Settings.from(Map.of("NZBGET_USER", "nzbget",
            "NZBGET_PASS", "pw", "NZBGET_URL", "http://127.0.0.1:6789")));
    private static final NzbgetClient WITHOUT_LOGIN = new NzbgetClient(Settings.from(Map.of()));

    @Test
    void theResultIsUnwrapped() throws NzbgetException {
        assertThat(WITH_LOGIN.result("version", 200, ApiFixtures.body("version")).asText()).isEqualTo("26.2");
        assertThat(WITH_LOGIN.result("pausedownload", 200, "{\"version\":\"1.1\",\"id\":1,\"result\":true}").asBoolean())
                .isTrue();
    }

    @Test
    void aRefusedLoginSaysWhichVariablesToCheck() {
        assertThatThrownBy(() -> WITH_LOGIN.result("status", 401, ""))
                .hasMessage("nzbget refused the login of user 'nzbget' (HTTP 401): NZBGET_USER/NZBGET_PASS are not"
                        + " nzbget's ControlUsername/ControlPassword");
        assertThatThrownBy(() -> WITHOUT_LOGIN.result("status", 401, ""))
                .hasMessage("nzbget asks for a login (HTTP 401) and NZBGET_USER/NZBGET_PASS are not set");
    }

    @Test
    void otherAnswersNameTheMethod() {
        assertThatThrownBy(() -> WITH_LOGIN.result("history", 500, "oops"))
                .hasMessage("nzbget answered history with HTTP 500 at http://127.0.0.1:6789/jsonrpc");
        assertThatThrownBy(() -> WITH_LOGIN.result("status", 200, "<html>login</html>"))
                .hasMessage("nzbget's answer to status is not JSON (<html>login</html>)");
        assertThatThrownBy(() -> WITH_LOGIN.result("status", 200, "[1]"))
                .hasMessage("nzbget's answer to status is not a JSON-RPC answer ([1])");
        assertThatThrownBy(() -> WITH_LOGIN.result("status", 200, "{\"id\":1}"))
                .hasMessage("nzbget's answer to status has no result ({\"id\":1})");
        assertThatThrownBy(() -> WITH_LOGIN.result("nosuch", 200,
                "{\"version\":\"1.1\",\"id\":1,\"error\":{\"name\":\"JSONRPCError\",\"code\":1,\"message\":\"Invalid procedure\"}}"))
                .hasMessage("nzbget's nosuch failed: Invalid procedure");
    }

    @Test
    void nothingListeningIsARefusedConnection() throws IOException {
        int port = FreePorts.next();
        NzbgetClient client = new NzbgetClient(Settings.from(Map.of("NZBGET_URL", "http://127.0.0.1:" + port)));
        assertThatThrownBy(() -> client.callAll(List.of("version", "status")))
                .isInstanceOf(NzbgetException.class)
                .hasMessageStartingWith("cannot connect to http://127.0.0.1:" + port + "/jsonrpc");
    }
}
