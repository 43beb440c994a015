package io.homestack.eventbridge;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Starts /metrics, then the MQTT subscription; on SIGTERM disconnects and stops the HTTP server. Exits 2, naming the
 * variable or file, when the configuration is wrong.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        Logger log = Logger.getLogger(Main.class.getName());
        Settings settings;
        try {
            settings = Settings.from(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("event-bridge: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
        JvmMetrics.builder().register(registry);
        BridgeMetrics metrics = new BridgeMetrics(registry);
        HTTPServer server = HTTPServer.builder().port(settings.metricsPort()).registry(registry).buildAndStart();
        EventBridge bridge = new EventBridge(settings, new Z2mEvents(settings.baseTopic(), settings.maxDevices(),
                metrics, Clock.systemUTC()), metrics);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Not through java.util.logging: its own shutdown hook runs beside this one and may have closed the
            // handlers already (a lost line, seen in CI).
            System.err.println(Instant.now() + " INFO " + Main.class.getName() + ": stopping");
            bridge.close();
            server.close();
        }, "shutdown"));
        log.info("event bridge: " + settings + "; /metrics on :" + server.getPort());
        bridge.start();
        Thread.currentThread().join(); // Paho's and the HTTP server's threads do the work
    }
}
