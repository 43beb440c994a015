package io.homestack.bundle.oci;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.net.FreePorts;

import java.io.IOException;
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
 * A real OCI registry on this machine: Debian's {@code docker-registry} (CNCF distribution) as a child process on
 * 127.0.0.1, a free port, plain HTTP, filesystem storage in a directory it owns (deleted by {@link #close()}). The
 * tests' {@code LocalRegistry} and the release preview run it; stopped by {@link #close()}, and by a JVM shutdown
 * hook (SIGTERM, Ctrl-C) if the owner does not get to it.
 */
public final class RegistryProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread shutdownHook;
    private boolean closed;

    private RegistryProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.shutdownHook = new Thread(process::destroyForcibly, "stop docker-registry :" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code binary} with its configuration, storage and log in {@code dir} (created; deleted when the start
     * fails) and waits until it answers; a port another process takes first is retried.
     *
     * @param extraConfig appended to the configuration (e.g. an {@code auth:} section), or ""
     */
    public static RegistryProcess start(Path binary, Path dir, String extraConfig) {
        try {
            Files.createDirectories(dir);
            for (int attempt = 1; ; attempt++) {
                int port = FreePorts.next();
                RegistryProcess registry = new RegistryProcess(launch(binary, dir, port, extraConfig), dir, port);
                boolean ready;
                try {
                    ready = registry.awaitReady();
                } catch (RuntimeException e) {
                    registry.stopOnly();
                    throw e;
                }
                if (ready) {
                    return registry;
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

    /** {@code 127.0.0.1:<port>} */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** A plain-HTTP target on this registry. */
    public RegistryTarget target(String repositoryPrefix) {
        return RegistryTarget.plainHttp(address(), repositoryPrefix);
    }

    /** The registry's storage root. */
    public Path storage() {
        return dir.resolve("storage");
    }

    /** What the registry logged so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the process and deletes its directory. */
    @Override
    public synchronized void close() {
        if (!closed) {
            stopOnly();
            AtomicDirectory.deleteQuietly(dir);
        }
    }

    private synchronized void stopOnly() {
        closed = true;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static Process launch(Path binary, Path dir, int port, String extraConfig) throws IOException {
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
                "") + extraConfig);
        return new ProcessBuilder(binary.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
                .start();
    }

    /** Polls until the process answers; false if it died or the time is up. */
    private boolean awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (answers()) {
                return true;
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

    /** GET /v2/ answers 200, or 401 with auth; only while our own process lives (another may own a taken port). */
    private boolean answers() {
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            int status = HTTP.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode();
            return process.isAlive() && (status == 200 || status == 401);
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for docker-registry", e);
        }
    }
}
