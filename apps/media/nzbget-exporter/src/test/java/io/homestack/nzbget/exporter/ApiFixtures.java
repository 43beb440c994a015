package io.homestack.nzbget.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homestack.bundle.test.prometheus.MetricsText;
import io.homestack.nzbget.exporter.NzbgetMetrics.Answers;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * JSON-RPC answers of nzbget written from its API documentation (src/test/resources/api/&lt;method&gt;.json: nzbget 24+
 * with the per-day article counts of servervolumes), unwrapped by the client as a real answer is, and the text
 * Prometheus would scrape from metrics.
 */
final class ApiFixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private ApiFixtures() {
    }

    /** The raw answer of a method, as nzbget sends it. */
    static String body(String method) {
        try (InputStream in = ApiFixtures.class.getResourceAsStream("/api/" + method + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture api/" + method + ".json");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result of a method's answer, through the client's unwrapping. */
    static JsonNode result(String method) {
        try {
            return new NzbgetClient(Settings.from(Map.of())).result(method, 200, body(method));
        } catch (NzbgetClient.NzbgetException e) {
            throw new AssertionError(e);
        }
    }

    /** Every method's fixture. */
    static Answers answers() {
        return Answers.of(Answers.METHODS.stream().map(ApiFixtures::result).toList());
    }

    /** A copy of the status fixture's result, to change. */
    static ObjectNode status() {
        return (ObjectNode) result("status").deepCopy();
    }

    /** The metrics as the text format Prometheus scrapes, parsed strictly. */
    static MetricsText scrape(MetricSnapshots snapshots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return MetricsText.parse(out.toString(StandardCharsets.UTF_8));
    }
}
