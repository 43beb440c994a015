package io.homestack.observability.tracing;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.engine.EngineConfig;
import io.homestack.bundle.test.engine.EngineProcess;
import io.homestack.bundle.test.engine.Jaeger;
import io.homestack.bundle.test.engine.OtelCollector;
import io.homestack.bundle.test.engine.OtlpTraces;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.homestack.observability.tracing.TracingBundleTest.COLLECTOR;
import static io.homestack.observability.tracing.TracingBundleTest.JAEGER;
import static io.homestack.observability.tracing.TracingBundleTest.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Traces fan out: the collector built from exactly the bundle's components (build.sh otelcol) runs the bundle's rendered
 * configuration, pointed at local ports; a span sent over OTLP/gRPC is queryable in a real Jaeger (built with exactly
 * the components of the bundle's Jaeger configuration) that runs that configuration, and reaches a second real OTLP
 * receiver in Tempo's place (another Jaeger: Tempo is AGPL).
 */
class TraceFanOutIT {

    private static final String ENV = "k3d";
    private static final String JAEGER_SERVICE = "jaeger.observability.svc.cluster.local:4317";
    private static final String TEMPO_SERVICE = "tempo.observability.svc.cluster.local:4317";
    private static final Map<String, String> POD_ENV = Map.of("MY_POD_IP", "127.0.0.1");

    private final BundleOutput output = BundleOutput.ofModule();
    private final Path work = Path.of(System.getProperty("homestack.bundle.output", "target/bundle")).resolveSibling("trace-fan-out");
    private OtelCollector collector;
    private Jaeger jaeger;

    /** Per test, so that each one is counted as skipped (outside CI) when an engine is missing. */
    @BeforeEach
    void engines() {
        collector = OtelCollector.locate();
        jaeger = Jaeger.locate();
    }

    @Test
    void theCollectorIsBuiltFromExactlyTheComponentsItsRenderedConfigurationUses() {
        Map<String, Object> config = collectorConfig();
        var used = OtelCollector.componentsOf(config);
        var built = collector.components();

        assertThat(OtelCollector.notBuiltIn(used, built)).as("%s names components the collector has not built in: add them to"
                + " tooling/k8s-test-binaries/modules/otelcol/builder-config.yaml", renderFile(COLLECTOR)).isEmpty();
        assertThat(OtelCollector.notBuiltIn(built, used)).as("built in but unused (build only what is used)").isEmpty();
        assertThat(collector.version()).isEqualTo(KubeObject.path(values(application(COLLECTOR)), "image").get("tag"));
        assertThat(collector.validate(EngineConfig.write(config, work.resolve("collector-as-rendered.yaml")), POD_ENV))
                .as("otelcol validate").isEmpty();
    }

    @Test
    void jaegerIsBuiltFromExactlyTheComponentsItsRenderedConfigurationUses() {
        var used = OtelCollector.componentsOf(KubeObject.path(values(application(JAEGER)), "userconfig"));
        var built = jaeger.components();

        assertThat(OtelCollector.notBuiltIn(used, built)).as("%s names components the test's Jaeger has not built in: add"
                + " them to tooling/k8s-test-binaries/modules/jaeger/_components.go", renderFile(JAEGER)).isEmpty();
        assertThat(OtelCollector.notBuiltIn(built, used)).as("built in but unused (build only what is used)").isEmpty();
    }

    @Test
    void aSpanSentToTheCollectorIsQueryableInJaegerAndDeliveredToTheTempoBoundReceiver() {
        Receiver jaegerReceiver = new Receiver("jaeger");
        Receiver tempoReceiver = new Receiver("tempo-stand-in");
        int grpc = FreePorts.next();
        int health = FreePorts.next();
        Map<String, Object> config = EngineConfig.withMetricsPort(EngineConfig.withAddresses(collectorConfig(), Map.of(
                "${env:MY_POD_IP}:4317", "127.0.0.1:" + grpc,
                "${env:MY_POD_IP}:4318", "127.0.0.1:" + FreePorts.next(),
                "${env:MY_POD_IP}:13133", "127.0.0.1:" + health,
                JAEGER_SERVICE, "127.0.0.1:" + jaegerReceiver.otlpGrpc,
                TEMPO_SERVICE, "127.0.0.1:" + tempoReceiver.otlpGrpc)), FreePorts.next());
        Path configFile = EngineConfig.write(config, work.resolve("collector.yaml"));
        assertThat(collector.validate(configFile, POD_ENV)).as("otelcol validate").isEmpty();

        try (EngineProcess j = jaegerReceiver.start(); EngineProcess t = tempoReceiver.start();
             EngineProcess c = collector.start(configFile, POD_ENV, work.resolve("collector.log"), health)) {
            String service = "fan-out-" + UUID.randomUUID();
            String traceId = OtlpTraces.sendSpan("http://127.0.0.1:" + grpc, service, "GET /fan-out");

            awaitTrace(jaegerReceiver, service, traceId, c);
            awaitTrace(tempoReceiver, service, traceId, c);
        }
    }

    @Test
    void aConfigurationNamingAComponentNotBuiltInFailsWithTheFileAndTheCollectorsMessage() {
        Map<String, Object> config = new LinkedHashMap<>(collectorConfig());
        Map<String, Object> exporters = new LinkedHashMap<>(KubeObject.map(config.get("exporters")));
        exporters.put("zipkin/tempo", Map.of("endpoint", "http://tempo.observability.svc.cluster.local:9411"));
        config.put("exporters", exporters);
        Path file = EngineConfig.write(config, work.resolve("collector-with-zipkin.yaml"));

        assertThat(OtelCollector.notBuiltIn(OtelCollector.componentsOf(config), collector.components()))
                .containsExactly("exporters/zipkin");
        assertThat(collector.validate(file, POD_ENV)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith(file + ": ").contains("zipkin");
    }

    private void awaitTrace(Receiver receiver, String service, String traceId, EngineProcess collectorProcess) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> found = List.of();
        while (System.nanoTime() < deadline) {
            found = Jaeger.traceIds(receiver.query, service);
            if (found.contains(traceId)) {
                return;
            }
            sleep();
        }
        fail("trace " + traceId + " of " + service + " did not reach " + receiver.name + " within 30 s (its query API"
                + " returned " + found + ").\ncollector: " + collectorProcess.report() + "\n" + receiver.name + ": "
                + receiver.process.report());
    }

    /** A real Jaeger running the bundle's own Jaeger configuration on free local ports. */
    private final class Receiver {
        final String name;
        final int otlpGrpc = FreePorts.next();
        final int query = FreePorts.next();
        EngineProcess process;

        Receiver(String name) {
            this.name = name;
        }

        EngineProcess start() {
            Map<String, Object> config = EngineConfig.withMetricsPort(EngineConfig.withAddresses(
                    KubeObject.path(values(application(JAEGER)), "userconfig"), Map.of(
                            "0.0.0.0:4317", "127.0.0.1:" + otlpGrpc,
                            "0.0.0.0:4318", "127.0.0.1:" + FreePorts.next(),
                            "0.0.0.0:16686", "127.0.0.1:" + query,
                            "0.0.0.0:16685", "127.0.0.1:" + FreePorts.next(),
                            "0.0.0.0:13133", "127.0.0.1:" + FreePorts.next())), FreePorts.next());
            process = jaeger.start(EngineConfig.write(config, work.resolve(name + ".yaml")), Map.of(),
                    work.resolve(name + ".log"), query);
            return process;
        }
    }

    private Map<String, Object> collectorConfig() {
        return KubeObject.path(values(application(COLLECTOR)), "alternateConfig");
    }

    private KubeObject application(String name) {
        return output.object(ENV, "Application", name);
    }

    private Path renderFile(String application) {
        return output.root().resolve(ENV).resolve("application-" + application + ".yaml");
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
