package io.homestack.bundle.test.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.homestack.bundle.test.prometheus.Dashboard.PanelQuery;
import io.homestack.bundle.test.prometheus.PrometheusServer.Answer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs every query of dashboards through a real Prometheus, as Grafana would over the dashboard's time range: template
 * variables resolved against the server first (a variable takes its first value, Grafana's default selection), then
 * each panel query as a range query (an instant query where the target says {@code instant}).
 */
public final class DashboardQueries {

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(?:(.+?)\\s*,\\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");
    private static final Pattern QUERY_RESULT = Pattern.compile("query_result\\((.+)\\)");
    // ${name}, ${name:format}, [[name]], $name (a $1 of label_replace is no variable and stays as it is)
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-zA-Z_]\\w*)(?::\\w+)?}|\\[\\[([a-zA-Z_]\\w*)]]|\\$([a-zA-Z_]\\w*)");

    private final PrometheusServer server;
    private final Instant end;
    private final Duration range;
    private final Duration step;
    private final Map<JsonNode, String> firstValues = new IdentityHashMap<>();

    /** Queries over [end - range, end] in steps; $__rate_interval is 4 steps (Grafana: 4 scrape intervals at least). */
    public DashboardQueries(PrometheusServer server, Instant end, Duration range, Duration step) {
        this.server = server;
        this.end = end;
        this.range = range;
        this.step = step;
    }

    /** One query's outcome: the expression as sent, and Prometheus' error or the number of series it returned. */
    public record Outcome(PanelQuery query, String expr, String error, int series) {

        public boolean failed() {
            return error != null;
        }

        public String describe() {
            return query.describe() + ": " + expr + " -> " + (failed() ? "error: " + error : series + " series");
        }
    }

    /** Every query of the dashboard, variables first; a variable that resolves to nothing is an outcome with an error. */
    public List<Outcome> run(Dashboard dashboard) {
        Map<String, String> values = builtins();
        List<Outcome> outcomes = new ArrayList<>();
        for (JsonNode v : dashboard.variables()) {
            String name = v.path("name").asText();
            Outcome resolved = resolve(dashboard, v, values);
            if (resolved != null) {
                outcomes.add(resolved);
                if (resolved.failed()) {
                    continue;
                }
            }
            String value = value(v, values);
            if (value != null) {
                values.put(name, value);
            }
        }
        for (PanelQuery q : dashboard.queries()) {
            if (q.panel().startsWith("variable ")) {
                continue;
            }
            String expr = substitute(q.expr(), values);
            Answer a = q.instant() ? server.query(expr, end) : server.queryRange(expr, end.minus(range), end, step);
            outcomes.add(new Outcome(q, expr, a.ok() ? null : a.errorType() + ": " + a.error(), a.ok() ? a.seriesCount() : 0));
        }
        return outcomes;
    }

    /** A query variable's lookup through the API (null for other kinds); remembers its first value. */
    private Outcome resolve(Dashboard dashboard, JsonNode v, Map<String, String> values) {
        if (!"query".equals(v.path("type").asText())) {
            return null;
        }
        JsonNode q = v.path("query");
        String query = substitute(q.isObject() ? q.path("query").asText() : q.asText(), values);
        PanelQuery pq = new PanelQuery(dashboard, "variable " + v.path("name").asText(), null, null, query, true);
        Matcher lv = LABEL_VALUES.matcher(query.strip());
        Matcher qr = QUERY_RESULT.matcher(query.strip());
        List<String> found = new ArrayList<>();
        Answer a;
        if (lv.matches()) {
            a = server.labelValues(lv.group(2), lv.group(1), end.minus(range), end);
            if (a.ok()) {
                a.data().forEach(n -> found.add(n.asText()));
            }
        } else if (qr.matches()) {
            a = server.query(qr.group(1), end);
            if (a.ok()) {
                a.data().path("result").forEach(n -> found.add(n.path("metric").toString()));
            }
        } else {
            return new Outcome(pq, query, "unsupported variable query (label_values(...) or query_result(...) only)", 0);
        }
        if (!a.ok()) {
            return new Outcome(pq, query, a.errorType() + ": " + a.error(), 0);
        }
        if (found.isEmpty()) {
            return new Outcome(pq, query, "no values: every panel using $" + v.path("name").asText() + " would be empty", 0);
        }
        firstValues.put(v, found.get(0));
        return new Outcome(pq, query, null, found.size());
    }

    private String value(JsonNode v, Map<String, String> values) {
        return switch (v.path("type").asText()) {
            case "query" -> firstValues.get(v);
            case "custom", "interval" -> v.path("query").asText().split(",")[0].strip();
            case "constant", "textbox" -> substitute(v.path("query").asText(), values);
            default -> null; // datasource variables are checked as datasources, not substituted into PromQL
        };
    }

    private Map<String, String> builtins() {
        Map<String, String> b = new LinkedHashMap<>();
        b.put("__rate_interval", step.multipliedBy(4).toSeconds() + "s");
        b.put("__interval", step.toSeconds() + "s");
        b.put("__interval_ms", Long.toString(step.toMillis()));
        b.put("__range", range.toSeconds() + "s");
        b.put("__range_s", Long.toString(range.toSeconds()));
        b.put("__range_ms", Long.toString(range.toMillis()));
        return b;
    }

    /** Grafana's interpolation: known variables replaced, anything else left as it is. */
    static String substitute(String text, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(name, m.group())));
        }
        return m.appendTail(out).toString();
    }
}
