package io.homestack.bundle.oci;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.render.ExternalTool;
import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (CNCF distribution 2.8) as a child process on
 * 127.0.0.1 ({@link RegistryProcess}), plain HTTP, filesystem storage in a temporary directory, optionally with
 * authentication. Shared with other modules through bundle-core's test-jar.
 *
 * <pre>{@code
 * try (LocalRegistry registry = LocalRegistry.start()) {
 *     RegistryClient client = RegistryClient.builder(registry.target("homestack")).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>A test class that shares one registry uses {@link LocalRegistryExtension}. Without {@code docker-registry} on the
 * PATH the test is skipped with the reason, and fails in CI ({@link TestTools}). The process is stopped by
 * {@link #close()}, and by a JVM shutdown hook if a test forgets.
 */
public final class LocalRegistry implements AutoCloseable {

    private final RegistryProcess process;

    private LocalRegistry(RegistryProcess process) {
        this.process = process;
    }

    /** An anonymous registry. */
    public static LocalRegistry start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:<port>} */
    public String address() {
        return process.address();
    }

    public int port() {
        return process.port();
    }

    public URI baseUri() {
        return URI.create("http://" + address());
    }

    /** A plain-HTTP target on this registry. */
    public RegistryTarget target(String repositoryPrefix) {
        return process.target(repositoryPrefix);
    }

    /** The registry's storage root. */
    public Path storage() {
        return process.storage();
    }

    /** What the registry logged so far; attach it to assertion messages when a test fails. */
    public String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }

    /** Registry options; all optional. */
    public static final class Builder {
        private String htpasswdUser;
        private String htpasswdPassword;
        private TokenIssuer tokenIssuer;

        private Builder() {
        }

        /** Require HTTP Basic authentication (htpasswd with bcrypt, made with apache2-utils' {@code htpasswd}). */
        public Builder basicAuth(String username, String password) {
            this.htpasswdUser = username;
            this.htpasswdPassword = password;
            return this;
        }

        /** Require Bearer tokens signed by {@code issuer} (the token flow of Docker Hub and most cloud registries). */
        public Builder tokenAuth(TokenIssuer issuer) {
            this.tokenIssuer = issuer;
            return this;
        }

        public LocalRegistry start() {
            Path binary = ExternalTool.onPath("docker-registry").orElseThrow(() ->
                    TestTools.missing("docker-registry not found on the PATH: apt-get install docker-registry"));
            Path dir;
            try {
                dir = Files.createTempDirectory("homestack-registry-");
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a temporary directory for the registry", e);
            }
            try {
                return new LocalRegistry(RegistryProcess.start(binary, dir, authConfig(dir)));
            } catch (IOException e) {
                AtomicDirectory.deleteQuietly(dir);
                throw new IllegalStateException("cannot start docker-registry", e);
            }
        }

        private String authConfig(Path dir) throws IOException {
            if (tokenIssuer != null) {
                return "auth:\n  token:\n"
                        + "    realm: " + tokenIssuer.realm() + "\n"
                        + "    service: " + tokenIssuer.service() + "\n"
                        + "    issuer: " + tokenIssuer.issuer() + "\n"
                        + "    rootcertbundle: " + tokenIssuer.certificatePem() + "\n";
            }
            if (htpasswdUser != null) {
                Path htpasswd = dir.resolve("htpasswd");
                Files.writeString(htpasswd, Htpasswd.bcryptLine(htpasswdUser, htpasswdPassword));
                return "auth:\n  htpasswd:\n    realm: homestack-test\n    path: " + htpasswd + "\n";
            }
            return "";
        }
    }
}
