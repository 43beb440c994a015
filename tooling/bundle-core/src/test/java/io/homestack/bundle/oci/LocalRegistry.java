package io.homestack.bundle.oci;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.render.ExternalTool;
import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (CNCF distribution 2.8) as a child process on
 * 127.0.0.1, plain HTTP, filesystem storage in a temporary directory. Shared with other modules through
 * bundle-core's test-jar.
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

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalRegistry(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.shutdownHook = new Thread(process::destroyForcibly, "stop docker-registry :" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
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
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public URI baseUri() {
        return URI.create("http://" + address());
    }

    /** A plain-HTTP target on this registry. */
    public RegistryTarget target(String repositoryPrefix) {
        return RegistryTarget.plainHttp(address(), repositoryPrefix);
    }

    /** The registry's storage root. */
    public Path storage() {
        return dir.resolve("storage");
    }

    /** What the registry logged so far; attach it to assertion messages when a test fails. */
    public String log() {
        try {
            return Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        AtomicDirectory.deleteQuietly(dir);
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
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
                String auth = authConfig(dir);
                for (int attempt = 1; ; attempt++) {
                    int port = freePort();
                    Process process = launch(binary, dir, port, auth);
                    LocalRegistry registry = new LocalRegistry(process, dir, port);
                    try {
                        if (awaitReady(process, port)) {
                            return registry;
                        }
                    } catch (RuntimeException e) {
                        registry.stopOnly();
                        throw e;
                    }
                    registry.stopOnly();
                    String log = registry.log();
                    if (!log.contains("address already in use") || attempt == START_ATTEMPTS) {
                        throw new IllegalStateException("docker-registry did not become ready on port " + port
                                + " within " + STARTUP_TIMEOUT.toSeconds() + " s; its log:\n" + log);
                    }
                }
            } catch (IOException | RuntimeException e) {
                AtomicDirectory.deleteQuietly(dir);
                throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot start docker-registry", e);
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

    private void stopOnly() {
        closed = true;
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static Process launch(Path binary, Path dir, int port, String auth) throws IOException {
        Path config = dir.resolve("config.yml");
        Files.writeString(config, String.join("\n",
                "version: 0.1",
                "log:",
                "  level: info",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("storage"),
                "http:",
                "  addr: 127.0.0.1:" + port,
                "  secret: " + UUID.randomUUID(),
                "") + auth);
        Path log = dir.resolve("registry.log");
        return new ProcessBuilder(binary.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** Polls GET /v2/ until it answers (200, or 401 with auth); false if the process died. */
    private static boolean awaitReady(Process process, int port) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                int status = client.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for docker-registry", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for docker-registry", e);
            }
        }
        return false;
    }

    /** A port nothing listens on right now (the registry binds it a moment later; a clash is retried). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }
}
