package io.homestack.bundle.oci;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalRegistryTest {

    @Test
    void servesTheDistributionApiUntilClosedThenLeavesNothingBehind() throws Exception {
        Path storage;
        int port;
        try (LocalRegistry registry = LocalRegistry.start()) {
            port = registry.port();
            storage = registry.storage();
            assertThat(registry.address()).isEqualTo("127.0.0.1:" + port);
            assertThat(registry.target("homestack").ociUrl("media"))
                    .isEqualTo("oci://127.0.0.1:" + port + "/homestack/media");
            HttpResponse<String> ping = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(registry.baseUri().resolve("/v2/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ping.statusCode()).isEqualTo(200);
            assertThat(ping.headers().firstValue("Docker-Distribution-Api-Version")).hasValue("registry/2.0");
        }
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }).isInstanceOf(IOException.class);
        assertThat(storage.getParent()).doesNotExist();
    }
}
