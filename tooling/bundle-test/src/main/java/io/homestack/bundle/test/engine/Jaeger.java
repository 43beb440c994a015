package io.homestack.bundle.test.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jaeger v2 (build.sh jaeger) run with a configuration file, and its query API. */
public final class Jaeger {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;

    public Jaeger(Path binary) {
        this.binary = binary;
    }

    /** Jaeger in the test binaries directory; skipped, or failed in CI, when missing. */
    public static Jaeger locate() {
        return new Jaeger(EngineBinaries.require("jaeger"));
    }

    /** What this Jaeger has built in ({@code jaeger components}): kind to component types. */
    public Map<String, Set<String>> components() {
        return OtelCollector.builtIn(binary);
    }

    /** Runs Jaeger with a configuration until closed; ready when its query API answers on {@code queryPort}. */
    public EngineProcess start(Path config, Map<String, String> env, Path log, int queryPort) {
        return EngineProcess.start("jaeger", List.of(binary.toString(), "--config=" + config), env, log,
                query(queryPort, "/api/services"), Duration.ofSeconds(60));
    }

    /** The ids of the traces of {@code service} that the query API on {@code queryPort} returns (none: empty). */
    public static List<String> traceIds(int queryPort, String service) {
        String body = EngineProcess.getText(query(queryPort, "/api/traces?lookback=1h&service="
                + URLEncoder.encode(service, StandardCharsets.UTF_8)));
        List<String> ids = new ArrayList<>();
        try {
            for (JsonNode trace : JSON.readTree(body).path("data")) {
                ids.add(trace.path("traceID").asText());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Jaeger's query API answered no JSON: " + body, e);
        }
        return ids;
    }

    private static URI query(int port, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }
}
