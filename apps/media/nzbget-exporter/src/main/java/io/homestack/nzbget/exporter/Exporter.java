package io.homestack.nzbget.exporter;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The /metrics endpoint of one registry with the nzbget collector in it: what Main runs, and what the ITs start. */
public final class Exporter implements AutoCloseable {

    private final HTTPServer server;
    private final NzbgetCollector collector;

    private Exporter(HTTPServer server, NzbgetCollector collector) {
        this.server = server;
        this.collector = collector;
    }

    /**
     * Registers the collector in {@code registry} and serves it on {@code METRICS_PORT} (0: any free port).
     *
     * @throws IOException when the port cannot be bound
     */
    public static Exporter start(Settings settings, PrometheusRegistry registry) throws IOException {
        NzbgetCollector collector = new NzbgetCollector(new NzbgetClient(settings), settings);
        registry.register(collector);
        HTTPServer server = HTTPServer.builder().port(settings.metricsPort()).registry(registry)
                .executorService(smallPool("metrics-http")).buildAndStart();
        return new Exporter(server, collector);
    }

    /**
     * Two daemon threads: one Prometheus scrapes at a time, and the client's calls are asynchronous. The defaults (ten
     * server threads, a client thread per call in flight) would triple the threads of a sidecar that idles.
     */
    static ExecutorService smallPool(String name) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public int port() {
        return server.getPort();
    }

    public NzbgetCollector collector() {
        return collector;
    }

    @Override
    public void close() {
        server.close();
    }
}
