package io.homestack.bundle.test.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.envtest.ManagedProcess;
import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's nzbget ({@code apt-get install nzbget}; 21.0 on Debian 12) as a test engine: started in server mode
 * ({@code nzbget -s}, in the foreground) from a generated {@code nzbget.conf} whose directories are all under the run
 * directory, its web UI and JSON-RPC API on a free loopback port behind a control user and password. No news server
 * unless the test adds one ({@code Server1.*} options): nothing is downloaded, so whatever is appended stays queued —
 * enough to exercise the API a client of nzbget reads.
 */
public final class Nzbget {

    private final Path binary;

    public Nzbget(Path binary) {
        this.binary = binary;
    }

    /**
     * Debian's nzbget, found on the PATH (so that scripts/check-fresh-clone.sh hides it like the other test tools);
     * skipped with the reason, or failed in CI, when it is not there.
     */
    public static Nzbget locate() {
        return new Nzbget(onPath(System.getenv("PATH")).orElseThrow(() ->
                TestTools.missing("nzbget not found on the PATH: apt-get install nzbget")));
    }

    static Optional<Path> onPath(String path) {
        return path == null ? Optional.empty() : Stream.of(path.split(":")).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "nzbget")).filter(Files::isExecutable).findFirst();
    }

    public Path binary() {
        return binary;
    }

    /** {@link #start(String, String, Map, Path)} with nzbget's defaults for every other option. */
    public Server start(String username, String password, Path dir) {
        return start(username, password, Map.of(), dir);
    }

    /**
     * Starts nzbget in {@code dir}: {@code dir/nzbget.conf} (the directories, the control port on 127.0.0.1, the
     * control user, then {@code options} — e.g. {@code Server1.Host} — which win), its data under {@code dir/main},
     * its output in {@code dir/nzbget.log}. Ready once the API answers {@code version} with that login; an nzbget that
     * exits first fails with its own message. An invalid option does not stop nzbget (it logs the error and pauses
     * everything): check {@link Server#log()} when a test gives options.
     */
    public Server start(String username, String password, Map<String, String> options, Path dir) {
        try {
            Files.createDirectories(dir);
            int port = FreePorts.next();
            Path conf = dir.resolve("nzbget.conf");
            Files.writeString(conf, config(dir.resolve("main"), port, username, password, options), StandardCharsets.UTF_8);
            Server server = new Server(List.of(binary.toString(), "-s", "-c", conf.toString()), dir, port, username,
                    password);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare nzbget in " + dir, e);
        }
    }

    /** The configuration the engine runs; nzbget refuses to start when one of its directories cannot be created. */
    static String config(Path main, int port, String username, String password, Map<String, String> options) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("MainDir", main.toString());
        for (String dir : List.of("DestDir", "InterDir", "NzbDir", "QueueDir", "TempDir", "ScriptDir")) {
            all.put(dir, main.resolve(dir.substring(0, dir.length() - 3).toLowerCase()).toString());
        }
        all.put("LockFile", main.resolve("nzbget.lock").toString());
        all.put("LogFile", main.resolve("nzbget-file.log").toString());
        all.put("WebDir", ""); // the API needs no web UI files
        all.put("ConfigTemplate", "");
        all.put("ControlIP", "127.0.0.1");
        all.put("ControlPort", String.valueOf(port));
        all.put("ControlUsername", username);
        all.put("ControlPassword", password);
        // nzbget's other two logins (restricted, add-only) stay off: the control login is the one the test checks.
        all.put("RestrictedUsername", "");
        all.put("AddUsername", "");
        all.put("SecureControl", "no");
        all.put("OutputMode", "log"); // plain lines on stdout, no curses
        all.put("WriteLog", "append");
        all.put("UpdateCheck", "none");
        all.putAll(options);
        StringBuilder conf = new StringBuilder("# nzbget.conf of the homestack test engine (tooling/bundle-test Nzbget)\n");
        all.forEach((name, value) -> {
            if (value.contains("\n")) {
                throw new IllegalArgumentException("nzbget option " + name + " has a line break in its value");
            }
            conf.append(name).append('=').append(value).append('\n');
        });
        return conf.toString();
    }

    /** A running nzbget on 127.0.0.1; {@link #stop()} and {@link #start()} keep its port, configuration and queue. */
    public static final class Server implements AutoCloseable {

        private static final Duration READY = Duration.ofSeconds(30);
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .proxy(HttpClient.Builder.NO_PROXY).build();

        private final List<String> command;
        private final Path dir;
        private final int port;
        private final String username;
        private final String password;
        private ManagedProcess process;
        private int starts;
        private int ids;

        private Server(List<String> command, Path dir, int port, String username, String password) {
            this.command = command;
            this.dir = dir;
            this.port = port;
            this.username = username;
            this.password = password;
        }

        public int port() {
            return port;
        }

        /** {@code http://127.0.0.1:<port>}: the web UI, and the API under {@code /jsonrpc}. */
        public URI uri() {
            return URI.create("http://127.0.0.1:" + port);
        }

        public String username() {
            return username;
        }

        public String password() {
            return password;
        }

        /** The configuration nzbget runs. */
        public Path config() {
            return dir.resolve("nzbget.conf");
        }

        /** The current run's output: nzbget.log, after a restart nzbget-2.log and so on. */
        public Path log() {
            return process.log();
        }

        public boolean running() {
            return process != null && process.alive();
        }

        /** State and the log's last lines, for failure messages. */
        public String report() {
            return process.report();
        }

        /**
         * Calls a JSON-RPC method with the control login; its {@code result}.
         *
         * @throws IllegalStateException naming the method when nzbget answers other than 200 or with an error
         */
        public JsonNode call(String method, Object... params) {
            ObjectNode request = JSON.createObjectNode().put("version", "1.1").put("method", method).put("id", ++ids);
            ArrayNode array = request.putArray("params");
            for (Object param : params) {
                array.add(JSON.valueToTree(param));
            }
            HttpResponse<String> response = post(request.toString(), username, password);
            if (response == null || response.statusCode() != 200) {
                throw new IllegalStateException("nzbget " + method + ": " + (response == null ? "no answer"
                        : "HTTP " + response.statusCode()) + "; " + report());
            }
            try {
                JsonNode body = JSON.readTree(response.body());
                if (body.hasNonNull("error")) {
                    throw new IllegalStateException("nzbget " + method + ": " + body.get("error"));
                }
                return body.get("result");
            } catch (IOException e) {
                throw new IllegalStateException("nzbget " + method + " answered no JSON: " + response.body(), e);
            }
        }

        /**
         * Adds an NZB document to the queue ({@code append}, nzbget 16+ parameters: content base64-encoded, normal
         * priority, at the end, no duplicate check, no post-processing parameters); the new group's NZBID.
         */
        public int append(String filename, String nzb, String category, boolean paused) {
            String content = Base64.getEncoder().encodeToString(nzb.getBytes(StandardCharsets.UTF_8));
            JsonNode id = call("append", filename, content, category, 0, false, paused, "", 0, "FORCE", List.of());
            if (id.asInt() <= 0) {
                throw new IllegalStateException("nzbget refused " + filename + " (append answered " + id + "): " + report());
            }
            return id.asInt();
        }

        /** Starts nzbget (again) on the same port, with the queue and history of the previous run. */
        public void start() {
            if (running()) {
                throw new IllegalStateException("nzbget is running already: " + report());
            }
            starts++;
            process = ManagedProcess.start("nzbget", command, Map.of(),
                    dir.resolve(starts == 1 ? "nzbget.log" : "nzbget-" + starts + ".log"));
            long deadline = System.nanoTime() + READY.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.alive()) {
                    throw new IllegalStateException("nzbget did not start (" + config() + "): " + process.report());
                }
                HttpResponse<String> version = post("{\"method\":\"version\",\"params\":[],\"id\":0}", username, password);
                if (version != null && version.statusCode() == 200) {
                    return;
                }
                EngineProcess.sleep(100);
            }
            stop();
            throw new IllegalStateException("nzbget did not answer on " + uri() + "/jsonrpc within " + READY.toSeconds()
                    + " s: " + process.report());
        }

        /** Stops nzbget as Kubernetes does (SIGTERM: it saves its queue); {@link #start()} brings it back. */
        public void stop() {
            if (process != null) {
                process.terminate();
                process.awaitStop(15_000);
            }
        }

        /** A POST to the API with a login; null when nothing answers. */
        HttpResponse<String> post(String body, String user, String pass) {
            String basic = Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create(uri() + "/jsonrpc")).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public void close() {
            stop();
        }
    }
}
