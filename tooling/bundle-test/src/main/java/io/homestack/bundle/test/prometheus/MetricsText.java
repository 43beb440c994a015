package io.homestack.bundle.test.prometheus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of a Prometheus text exposition (format 0.0.4) over HTTP, parsed strictly: every line is a comment
 * ({@code # HELP}, {@code # TYPE}) or a sample {@code name{labels} value}; anything else fails the test.
 */
public record MetricsText(Map<String, Double> samples) {

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*})? (\\S+)( \\d+)?");

    public static MetricsText scrape(URI uri) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Accept", "text/plain; version=0.0.4").build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(uri + " answered " + response.statusCode());
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/plain") || !type.contains("version=0.0.4")) {
            throw new AssertionError(uri + ": Content-Type " + type + ", not the text exposition format");
        }
        return parse(response.body());
    }

    public static MetricsText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a sample line of the text format: '" + line + "'");
            }
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), number(m.group(3)));
        }
        return new MetricsText(samples);
    }

    private static double number(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }

    /** The samples of one metric (every label set), in exposition order. */
    public Map<String, Double> family(String name) {
        Map<String, Double> family = new LinkedHashMap<>();
        samples.forEach((sample, value) -> {
            if (sample.equals(name) || sample.startsWith(name + "{")) {
                family.put(sample, value);
            }
        });
        return family;
    }

    /** The value of the sample written exactly so (labels in exposition order), or null. */
    public Double value(String sample) {
        return samples.get(sample);
    }
}
