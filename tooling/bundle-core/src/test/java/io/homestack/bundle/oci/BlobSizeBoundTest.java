package io.homestack.bundle.oci;

import com.sun.net.httpserver.HttpServer;
import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A registry that sends more of a blob than its descriptor declares: the pull stops at the declared size and writes
 * nothing. No real registry misbehaves like this on request, so a minimal one answers here: a manifest whose layer
 * declares 16 bytes, and that layer as a 64 MiB stream.
 */
class BlobSizeBoundTest {

    private static final Descriptor LAYER = Descriptor.of(MediaTypes.LAYER_TAR_GZIP, Digests.sha256(new byte[16]), 16);

    private HttpServer server;

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aBlobLargerThanDeclaredStopsThePullAndWritesNothing() throws IOException {
        byte[] manifest = new OciManifest(MediaTypes.BUNDLE_ARTIFACT_TYPE, Descriptor.EMPTY_JSON, List.of(LAYER), Map.of())
                .toCanonicalJson();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.contains("/manifests/")) {
                exchange.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
                exchange.sendResponseHeaders(200, manifest.length);
                exchange.getResponseBody().write(manifest);
            } else if (path.endsWith(Descriptor.EMPTY_JSON.digest())) {
                byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, empty.length);
                exchange.getResponseBody().write(empty);
            } else if (path.contains("/blobs/")) {
                exchange.sendResponseHeaders(200, 0); // chunked
                try (OutputStream out = exchange.getResponseBody()) {
                    byte[] chunk = new byte[64 * 1024];
                    for (long sent = 0; sent < 64L << 20; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException clientClosed) {
                    // expected: the client stops reading
                }
            } else {
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
        RegistryClient client = RegistryClient.builder(
                RegistryTarget.plainHttp("127.0.0.1:" + server.getAddress().getPort(), "homestack"))
                .retryPolicy(new RetryPolicy(1, Duration.ofMillis(1))).build();

        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> client.pull("media", "1.0.0", tmp.resolve("pulled")))
                        .isInstanceOf(BundleException.class)
                        .hasMessageContaining("blob " + LAYER.digest() + " from the registry is larger than the 16 bytes"
                                + " its descriptor declares; stopped reading, nothing written"));
        assertThat(tmp.resolve("pulled")).doesNotExist();
        try (var left = java.nio.file.Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }
}
