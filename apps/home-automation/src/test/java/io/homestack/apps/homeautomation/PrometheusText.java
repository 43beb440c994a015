package io.homestack.apps.homeautomation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus's text exposition format, as far as the test reads it: series (name{labels}) and their values. */
record PrometheusText(Map<String, Double> samples) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})?\\s+(\\S+)$");

    static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return new PrometheusText(samples);
    }

    List<String> series() {
        return List.copyOf(samples.keySet());
    }

    /** The value of metric {@code name} for the entity; fails naming the entity's series when there is none. */
    double value(String name, String entity) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name + "{") && e.getKey().contains("entity=\"" + entity + "\""))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " for " + entity + "; its series: " + namesFor(entity)));
    }

    /** The metric names that have a series for the entity. */
    List<String> namesFor(String entity) {
        return samples.keySet().stream().filter(s -> s.contains("entity=\"" + entity + "\""))
                .map(s -> s.substring(0, s.indexOf('{'))).distinct().toList();
    }
}
