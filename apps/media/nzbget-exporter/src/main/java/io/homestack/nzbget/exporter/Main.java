package io.homestack.nzbget.exporter;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.util.logging.Logger;

/**
 * Serves /metrics until SIGTERM. Bad configuration exits 2 naming the variable; a metrics port that cannot be bound
 * exits 1; nzbget being down or refusing the login is not an error of the exporter (nzbget_up 0).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        Logger log = Logger.getLogger(Main.class.getName());
        Settings settings;
        try {
            settings = Settings.from(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("nzbget-exporter: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
        JvmMetrics.builder().register(registry);
        Exporter exporter;
        try {
            exporter = Exporter.start(settings, registry);
        } catch (IOException e) {
            System.err.println("nzbget-exporter: METRICS_PORT=" + settings.metricsPort() + ": cannot listen (" + e + ")");
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(exporter::close, "shutdown"));
        log.info("exporting nzbget's metrics; " + settings + "; /metrics on :" + exporter.port());
        exporter.collector().probe();
        Thread.currentThread().join(); // the HTTP server's threads do the work
    }
}
