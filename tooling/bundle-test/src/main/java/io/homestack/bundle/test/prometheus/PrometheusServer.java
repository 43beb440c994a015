package io.homestack.bundle.test.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.envtest.ManagedProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.stream.Collectors;

/**
 * A real Prometheus server on loopback over a data directory (filled by {@link Promtool#createBlocks}), with optional
 * rule files, answering its HTTP API. Nothing is scraped.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagedProcess process;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(ManagedProcess process, URI base) {
        this.process = process;
        this.base = base;
    }

    /** Starts prometheus on a free port with its config, data and log in workDir; returns once it is ready. */
    public static PrometheusServer start(Path binary, Path workDir, Path dataDir, List<Path> ruleFiles) {
        try {
            Files.createDirectories(workDir);
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("global", Map.of("evaluation_interval", "1s"));
            config.put("rule_files", ruleFiles.stream().map(Path::toString).toList());
            Path configFile = workDir.resolve("prometheus.yml");
            Files.writeString(configFile, Yaml.write(config));
            int port = FreePorts.next();
            ManagedProcess p = ManagedProcess.start("prometheus", List.of(binary.toString(),
                    "--config.file=" + configFile, "--storage.tsdb.path=" + dataDir,
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn"), Map.of(), workDir.resolve("prometheus.log"));
            PrometheusServer server = new PrometheusServer(p, URI.create("http://127.0.0.1:" + port));
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare prometheus in " + workDir, e);
        }
    }

    public URI base() {
        return base;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new IllegalStateException("prometheus did not start: " + process.report());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for prometheus", e);
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException("prometheus not ready within " + START_TIMEOUT.toSeconds() + " s: " + process.report());
    }

    /** An API answer: data on success, else Prometheus' own errorType and error. */
    public record Answer(String status, String errorType, String error, JsonNode data) {

        public boolean ok() {
            return "success".equals(status);
        }

        /** The number of series (vector, matrix) or 1 for a scalar or string result. */
        public int seriesCount() {
            JsonNode result = data == null ? null : data.get("result");
            if (result == null || result.isNull()) {
                return 0;
            }
            return result.isArray() && !"scalar".equals(data.path("resultType").asText())
                    && !"string".equals(data.path("resultType").asText()) ? result.size() : 1;
        }
    }

    /** /api/v1/query at a time. */
    public Answer query(String expr, Instant time) {
        return get("/api/v1/query", Map.of("query", expr, "time", seconds(time)));
    }

    /** /api/v1/query_range. */
    public Answer queryRange(String expr, Instant start, Instant end, Duration step) {
        return get("/api/v1/query_range", Map.of("query", expr, "start", seconds(start), "end", seconds(end),
                "step", Long.toString(step.toSeconds())));
    }

    /** /api/v1/label/NAME/values, optionally of the series a selector matches, between start and end. */
    public Answer labelValues(String label, String match, Instant start, Instant end) {
        Map<String, String> params = new LinkedHashMap<>(Map.of("start", seconds(start), "end", seconds(end)));
        if (match != null && !match.isBlank()) {
            params.put("match[]", match);
        }
        return get("/api/v1/label/" + URLEncoder.encode(label, StandardCharsets.UTF_8) + "/values", params);
    }

    /**
     * Waits until an instant query of the selector at the current time returns a series (rule results become queryable
     * a moment after /api/v1/alerts shows them); fails with the last answer after the timeout.
     */
    public void awaitSeries(String selector, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer last;
        do {
            last = query(selector, Instant.now());
            if (last.ok() && last.seriesCount() > 0) {
                return;
            }
            sleep(250);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("no " + selector + " in prometheus " + base + " after " + timeout.toSeconds() + " s; last answer "
                + last + "; " + process.report());
    }

    private Answer get(String path, Map<String, String> params) {
        String query = params.entrySet().stream().map(PrometheusServer::param).collect(Collectors.joining("&"));
        URI uri = URI.create(base + path + (query.isEmpty() ? "" : "?" + query));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(r.body());
            } catch (IOException notJson) {
                return new Answer("error", "http " + r.statusCode(), r.body(), null);
            }
            return new Answer(body.path("status").asText(), body.path("errorType").asText(null),
                    body.path("error").asText(null), body.get("data"));
        } catch (IOException e) {
            throw new IllegalStateException("prometheus at " + base + " does not answer " + path + ": " + e.getMessage()
                    + "; " + process.report(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String param(Entry<String, String> e) {
        return URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8);
    }

    private static String seconds(Instant t) {
        return Long.toString(t.getEpochSecond());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.terminate();
        process.awaitStop(10_000);
    }
}
