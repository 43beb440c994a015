package io.homestack.bundle.test.engine;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A collector-style configuration (the OpenTelemetry Collector's, Jaeger v2's) taken from a render and pointed at local
 * ports, everything else unchanged, so an engine test runs what the cluster runs.
 */
public final class EngineConfig {

    private EngineConfig() {
    }

    /**
     * A copy of {@code config} in which every string value equal to a key of {@code addresses} (an endpoint such as
     * {@code ${env:MY_POD_IP}:4317} or {@code jaeger.observability.svc.cluster.local:4317}) is replaced by its value.
     *
     * @throws IllegalArgumentException naming the addresses that occur nowhere (the render changed: fix the test)
     */
    public static Map<String, Object> withAddresses(Map<String, Object> config, Map<String, String> addresses) {
        Set<String> unused = new TreeSet<>(addresses.keySet());
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) replace(config, addresses, unused);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("no endpoint " + unused + " in the configuration");
        }
        return copy;
    }

    /** Points the engine's own Prometheus metrics (service.telemetry.metrics.readers[].pull) at 127.0.0.1:port. */
    public static Map<String, Object> withMetricsPort(Map<String, Object> config, int port) {
        List<Object> readers = KubeObject.list(KubeObject.path(config, "service", "telemetry", "metrics").get("readers"));
        if (readers.isEmpty()) {
            throw new IllegalArgumentException("no service.telemetry.metrics.readers in the configuration");
        }
        for (Object reader : readers) {
            Map<String, Object> prometheus = KubeObject.path(KubeObject.map(reader), "pull", "exporter", "prometheus");
            prometheus.put("host", "127.0.0.1");
            prometheus.put("port", port);
        }
        return config;
    }

    /** Writes the configuration as YAML. */
    public static Path write(Map<String, Object> config, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Yaml.write(config));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Object replace(Object value, Map<String, String> addresses, Set<String> unused) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), replace(v, addresses, unused)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> replace(v, addresses, unused)).toList();
        }
        if (value instanceof String s && addresses.containsKey(s)) {
            unused.remove(s);
            return addresses.get(s);
        }
        return value;
    }
}
