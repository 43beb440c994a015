package io.homestack.bundle.oci;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Basic (htpasswd) and Bearer-token registries, both the real docker-registry. Refusals are never retried. */
class RegistryAuthTest {

    /** Retrying would take at least this long, so a quick failure proves there was no retry. */
    private static final RetryPolicy SLOW_RETRIES = new RetryPolicy(4, Duration.ofSeconds(10));

    @TempDir
    Path tmp;

    private OciLayout built() {
        OciLayoutWriter.write(TestTrees.bundle(tmp.resolve("tree")), ArtifactSpec.of("platform", "2.0.0"),
                TestTrees.OUTPUT_TIMESTAMP, tmp.resolve("built"));
        return OciLayout.read(tmp.resolve("built"));
    }

    private static RegistryClient client(RegistryTarget target, Credentials credentials) {
        return RegistryClient.builder(target).credentials(credentials).retryPolicy(SLOW_RETRIES).build();
    }

    @Test
    void basicAuthRegistryAcceptsTheRightCredentialsOnly() {
        OciLayout built = built();
        try (LocalRegistry registry = LocalRegistry.builder().basicAuth("ci", "s3cret").start()) {
            RegistryTarget target = registry.target("homestack");

            PushResult pushed = client(target, Credentials.basic("ci", "s3cret")).push(built, "platform");
            assertThat(pushed.digest()).isEqualTo(built.manifestDigest());
            assertThat(client(target, Credentials.basic("ci", "s3cret")).pull("platform", "2.0.0", tmp.resolve("pulled"))
                    .manifestDigest()).isEqualTo(built.manifestDigest());

            long start = System.nanoTime();
            assertThatThrownBy(() -> client(target, Credentials.basic("ci", "wrong")).push(built, "platform"))
                    .isInstanceOf(BundleException.class)
                    .hasMessageStartingWith("Cannot push homestack/platform:2.0.0 to " + registry.address() + ": ")
                    .hasMessageContaining("returned HTTP 401 Unauthorized")
                    .hasMessageContaining("check the credentials configured for " + registry.address());
            assertThatThrownBy(() -> client(target, Credentials.anonymous()).resolve("platform", "2.0.0"))
                    .isInstanceOf(BundleException.class)
                    .hasMessageStartingWith("Cannot resolve homestack/platform:2.0.0 on " + registry.address())
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("requires credentials and none are configured");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void bearerTokenFlowAgainstARegistryWithTokenAuth() {
        OciLayout built = built();
        try (TokenIssuer issuer = TokenIssuer.start("robot", "t0ken-pass");
             LocalRegistry registry = LocalRegistry.builder().tokenAuth(issuer).start()) {
            RegistryTarget target = registry.target("homestack");
            RegistryClient client = client(target, Credentials.basic("robot", "t0ken-pass"));

            assertThat(client.push(built, "platform").digest()).isEqualTo(built.manifestDigest());
            assertThat(client.pull("platform", "2.0.0", tmp.resolve("pulled")).manifestDigest())
                    .isEqualTo(built.manifestDigest());
            assertThat(issuer.tokensIssued()).as("tokens are cached per scope, not fetched per request")
                    .isBetween(1, 3);

            long start = System.nanoTime();
            assertThatThrownBy(() -> client(target, Credentials.basic("robot", "nope")).push(built, "platform"))
                    .isInstanceOf(BundleException.class)
                    .hasMessageStartingWith("Cannot push homestack/platform:2.0.0 to " + registry.address() + ": ")
                    .hasMessageContaining("the token service " + issuer.realm() + " refused the credentials of user robot")
                    .hasMessageContaining("HTTP 401");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(issuer.requestsRefused()).isEqualTo(1);
        }
    }
}
