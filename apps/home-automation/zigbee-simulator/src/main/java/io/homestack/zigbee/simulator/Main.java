package io.homestack.zigbee.simulator;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.util.logging.Logger;

/** Starts the metrics endpoint, then the simulated bridge; stops both cleanly on SIGTERM. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        Logger log = Logger.getLogger(Main.class.getName());
        Settings settings;
        DevicesFile network;
        try {
            settings = Settings.from(System.getenv());
            network = DevicesFile.read(settings.devicesFile());
        } catch (IllegalArgumentException e) {
            System.err.println("zigbee-simulator: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
        JvmMetrics.builder().register(registry);
        SimulatorMetrics metrics = new SimulatorMetrics(registry);
        HTTPServer server = HTTPServer.builder().port(settings.metricsPort()).registry(registry).buildAndStart();
        Z2mSimulator simulator = new Z2mSimulator(settings, network, metrics);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            server.close();
        }, "shutdown"));
        log.info("simulating " + network.devices().size() + " devices; " + settings + "; /metrics on :" + server.getPort());
        simulator.start();
        Thread.currentThread().join(); // the MQTT and HTTP threads do the work
    }
}
