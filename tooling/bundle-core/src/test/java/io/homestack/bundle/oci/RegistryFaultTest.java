package io.homestack.bundle.oci;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.net.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Failures in front of a real registry: nothing listening, injected 5xx/429 (retried, bounded), 404 (not retried).
 * The fault proxy forwards everything it does not fail to the real docker-registry.
 */
@ExtendWith(LocalRegistryExtension.class)
class RegistryFaultTest {

    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(5));
    private static final RetryPolicy SLOW = new RetryPolicy(4, Duration.ofSeconds(10));

    private LocalRegistry registry;

    @TempDir
    Path tmp;

    private OciLayout built() {
        OciLayoutWriter.write(TestTrees.bundle(tmp.resolve("tree")), ArtifactSpec.of("media", "0.1.0"),
                TestTrees.OUTPUT_TIMESTAMP, tmp.resolve("built"));
        return OciLayout.read(tmp.resolve("built"));
    }

    @Test
    void nothingListeningFailsAfterTheBoundedRetriesWithAClearMessage() {
        int port = FreePorts.next();
        RegistryClient client = RegistryClient.builder(RegistryTarget.plainHttp("127.0.0.1:" + port, "homestack"))
                .retryPolicy(FAST).build();

        assertThatThrownBy(() -> client.push(built(), "media"))
                .isInstanceOf(BundleException.class)
                .hasMessage("Cannot push homestack/media:0.1.0 to 127.0.0.1:" + port
                        + ": connection refused after 4 attempts (is the registry running?)");
    }

    @Test
    void twoServiceUnavailableAnswersAreRetriedAndThePushSucceeds() {
        OciLayout built = built();
        try (FaultProxy proxy = FaultProxy.start(registry.baseUri(), FaultProxy.firstRequests(2, 503))) {
            RegistryClient client = RegistryClient.builder(proxy.target("homestack")).retryPolicy(FAST).build();

            PushResult pushed = client.push(built, "flaky");

            assertThat(pushed.digest()).isEqualTo(built.manifestDigest());
            assertThat(proxy.requests()).startsWith(
                    "HEAD /v2/homestack/flaky/blobs/" + Descriptor.EMPTY_JSON.digest(),
                    "HEAD /v2/homestack/flaky/blobs/" + Descriptor.EMPTY_JSON.digest(),
                    "HEAD /v2/homestack/flaky/blobs/" + Descriptor.EMPTY_JSON.digest(),
                    "POST /v2/homestack/flaky/blobs/uploads/");
            // The proxy made the upload Locations relative, and the uploads still went through it.
            assertThat(proxy.requests()).anyMatch(r -> r.startsWith("PUT /v2/homestack/flaky/blobs/uploads/"));
            assertThat(client.pull("flaky", "0.1.0", tmp.resolve("pulled")).layerFile())
                    .hasSameBinaryContentAs(built.layerFile());
        }
    }

    @Test
    void tooManyRequestsIsRetried() {
        OciLayout built = built();
        client().push(built, "throttled");
        try (FaultProxy proxy = FaultProxy.start(registry.baseUri(), FaultProxy.firstRequests(1, 429))) {
            RegistryClient client = RegistryClient.builder(proxy.target("homestack")).retryPolicy(FAST).build();

            assertThat(client.resolve("throttled", "0.1.0")).isEqualTo(built.manifestDigest());
            assertThat(proxy.requests()).hasSize(2);
        }
    }

    @Test
    void aRegistryThatKeepsFailingIsGivenUpOnAfterTheConfiguredAttempts() {
        try (FaultProxy proxy = FaultProxy.start(registry.baseUri(), (n, method, path) -> 503)) {
            RegistryClient client = RegistryClient.builder(proxy.target("homestack"))
                    .retryPolicy(new RetryPolicy(3, Duration.ofMillis(5))).build();

            assertThatThrownBy(() -> client.push(built(), "media"))
                    .isInstanceOf(BundleException.class)
                    .hasMessageStartingWith("Cannot push homestack/media:0.1.0 to " + proxy.address()
                            + ": HTTP 503 Service Unavailable after 3 attempts (from HEAD /v2/homestack/media/blobs/");
            assertThat(proxy.requests()).hasSize(3);
        }
    }

    @Test
    void notFoundIsReportedAtOnceWithoutRetrying() {
        try (FaultProxy proxy = FaultProxy.start(registry.baseUri(), (n, method, path) -> 0)) {
            RegistryClient client = RegistryClient.builder(proxy.target("homestack")).retryPolicy(SLOW).build();
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.pull("media", "9.9.9", tmp.resolve("pulled")))
                    .isInstanceOf(BundleException.class)
                    .hasMessage("Cannot pull homestack/media:9.9.9 from " + proxy.address() + ": tag 9.9.9 not found "
                            + "(GET /v2/homestack/media/manifests/9.9.9 returned HTTP 404 Not Found: "
                            + "MANIFEST_UNKNOWN: manifest unknown)");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(proxy.requests()).hasSize(1);
            assertThat(tmp.resolve("pulled")).doesNotExist();
        }
    }

    @Test
    void blobDownloadsFollowRedirectsToAnotherHost() {
        OciLayout built = built();
        client().push(built, "redirected");
        try (FaultProxy proxy = FaultProxy.start(registry.baseUri(),
                (n, method, path) -> method.equals("GET") && path.contains("/blobs/") ? 307 : 0)) {
            RegistryClient client = RegistryClient.builder(proxy.target("homestack")).retryPolicy(FAST).build();

            OciLayout pulled = client.pull("redirected", "0.1.0", tmp.resolve("pulled"));

            assertThat(pulled.layerFile()).hasSameBinaryContentAs(built.layerFile());
            assertThat(proxy.requests()).contains("GET /v2/homestack/redirected/blobs/" + built.layer().digest());
        }
    }

    @Test
    void retriesAreLoggedAsWarnings() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        BundleLog log = new BundleLog() {
            @Override public void info(String message) { }
            @Override public void warn(String message) { warnings.add(message); }
            @Override public void debug(String message) { }
        };
        OciLayout built = built();
        client().push(built, "logged");
        try (FaultProxy proxy = FaultProxy.start(registry.baseUri(), FaultProxy.firstRequests(1, 502))) {
            RegistryClient.builder(proxy.target("homestack")).retryPolicy(FAST).log(log).build()
                    .resolve("logged", "0.1.0");
        }
        assertThat(warnings).singleElement().asString()
                .startsWith("resolve homestack/logged:0.1.0 on 127.0.0.1:")
                .endsWith(": HTTP 502 Bad Gateway (from HEAD /v2/homestack/logged/manifests/0.1.0); "
                        + "retrying in 5 ms (attempt 2 of 4)");
    }

    private RegistryClient client() {
        return RegistryClient.builder(registry.target("homestack")).retryPolicy(FAST).build();
    }
}
