package io.homestack.observability.tracing;

import io.homestack.bundle.BundleLog;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.PinnedVersions;
import io.homestack.bundle.test.engine.OtelCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The rendered tracing bundle: addresses the rest of the platform relies on, and the pins the engine tests use. */
class TracingBundleTest {

    static final String COLLECTOR = "tracing-opentelemetry-collector";
    static final String JAEGER = "tracing-jaeger";
    static final String TEMPO = "tracing-tempo";
    private static final String NAMESPACE = "observability";
    private static final String CLUSTER_DOMAIN = ".svc.cluster.local";

    private final BundleOutput output = BundleOutput.ofModule();

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void istiosExtensionProviderIsTheCollectorsServiceAndOtlpGrpcPort(String env, @TempDir Path work) {
        Path istio = repoRoot().resolve("platform/istio");
        KubeObject istiod = new BundleRenderer(BundleLog.SILENT).render(Bundle.load(istio), work).objects(env).stream()
                .filter(o -> "Application".equals(o.kind()) && "istio-istiod".equals(o.name())).findFirst().orElseThrow();
        Map<String, Object> provider = KubeObject.list(KubeObject.path(values(istiod), "meshConfig").get("extensionProviders"))
                .stream().map(KubeObject::map).filter(p -> "otel-tracing".equals(p.get("name")))
                .map(p -> KubeObject.path(p, "opentelemetry")).findFirst().orElseThrow();

        Map<String, Object> collector = values(output.object(env, "Application", COLLECTOR));
        String grpc = KubeObject.string(KubeObject.path(collector, "alternateConfig", "receivers", "otlp", "protocols", "grpc")
                .get("endpoint"));
        assertThat(provider.get("service")).as("platform/istio values/istiod.yaml: the collector's Service")
                .isEqualTo(collector.get("fullnameOverride") + "." + destination(COLLECTOR, env) + CLUSTER_DOMAIN);
        assertThat(grpc).as("the collector's OTLP/gRPC receiver").endsWith(":" + provider.get("port"));
        assertThat(KubeObject.path(collector, "ports", "otlp")).as("the chart's Service port otlp stays its default 4317")
                .doesNotContainKeys("servicePort", "containerPort", "enabled");
        assertThat(provider.get("port")).isEqualTo(4317);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theCollectorExportsToTheJaegerAndTempoServicesOtlpGrpcPorts(String env) {
        Map<String, Object> exporters = KubeObject.path(collectorConfig(env), "exporters");
        Map<String, Object> jaeger = values(output.object(env, "Application", JAEGER));
        Map<String, Object> tempo = values(output.object(env, "Application", TEMPO));
        String jaegerOtlp = KubeObject.string(KubeObject.path(jaeger, "userconfig", "receivers", "otlp", "protocols", "grpc")
                .get("endpoint"));

        assertThat(KubeObject.path(exporters, "otlp_grpc/jaeger")).containsEntry("endpoint",
                jaeger.get("fullnameOverride") + "." + destination(JAEGER, env) + CLUSTER_DOMAIN + ":4317");
        assertThat(jaegerOtlp).endsWith(":4317");
        assertThat(KubeObject.path(exporters, "otlp_grpc/tempo")).containsEntry("endpoint",
                tempo.get("fullnameOverride") + "." + destination(TEMPO, env) + CLUSTER_DOMAIN + ":4317");
        assertThat(KubeObject.list(KubeObject.path(collectorConfig(env), "service", "pipelines", "traces").get("exporters")))
                .containsExactlyInAnyOrder("otlp_grpc/jaeger", "otlp_grpc/tempo");
    }

    /** Grafana's datasources (observability/prometheus-grafana) use these addresses. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void jaegerQueriesOn16686AndTempoOn3200AsTheirServicesInObservability(String env) {
        Map<String, Object> jaeger = values(output.object(env, "Application", JAEGER));
        Map<String, Object> tempo = values(output.object(env, "Application", TEMPO));

        assertThat(jaeger).containsEntry("fullnameOverride", "jaeger");
        assertThat(KubeObject.path(jaeger, "userconfig", "extensions", "jaeger_query", "http"))
                .containsEntry("endpoint", "0.0.0.0:16686");
        assertThat(tempo).containsEntry("fullnameOverride", "tempo");
        assertThat(KubeObject.path(tempo, "tempo", "server")).as("the chart's default http_listen_port 3200").isEmpty();
        assertThat(List.of(COLLECTOR, JAEGER, TEMPO)).allSatisfy(app -> assertThat(destination(app, env)).isEqualTo(NAMESPACE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theCollectorImageIsTheVersionTheEngineTestBuilds(String env) throws IOException {
        String version = PinnedVersions.of("OTELCOL_VERSION").replaceFirst("^v", "");
        Map<String, Object> collector = values(output.object(env, "Application", COLLECTOR));

        assertThat(KubeObject.path(collector, "image")).containsEntry("tag", version);
        assertThat(Files.readString(repoRoot().resolve("tooling/k8s-test-binaries/modules/otelcol/builder-config.yaml")))
                .as("the builder manifest's collector version").contains("  version: " + version + "\n");
        assertThat(Files.readString(output.root().resolve(".homestack/bundle.json")))
                .contains("docker.io/otel/opentelemetry-collector-k8s:" + version);
    }

    @Test
    void bothEnvironmentsRunTheSameCollectorConfiguration() {
        assertThat(collectorConfig("k3s")).isEqualTo(collectorConfig("k3d"));
        assertThat(OtelCollector.componentsOf(collectorConfig("k3d"))).containsEntry("exporters", java.util.Set.of("otlp_grpc"));
    }

    /** Where the blocks go (s3 on k3d, local on k3s) is TempoObjectStoreTest's; the WAL and the volume are here. */
    @Test
    void tempoKeepsItsWalLocallyWithAVolumeOnK3sOnly() {
        for (String env : List.of("k3d", "k3s")) {
            assertThat(KubeObject.path(values(output.object(env, "Application", TEMPO)), "tempo", "storage", "trace", "wal"))
                    .as(env).containsEntry("path", "/var/tempo/wal");
        }
        assertThat(KubeObject.path(values(output.object("k3s", "Application", TEMPO)), "persistence"))
                .containsEntry("enabled", true).containsEntry("storageClassName", "standard");
        assertThat(values(output.object("k3d", "Application", TEMPO))).doesNotContainKey("persistence");
    }

    // --- helpers ---

    /** The collector's configuration exactly as the chart writes it (alternateConfig: not merged, no presets). */
    Map<String, Object> collectorConfig(String env) {
        Map<String, Object> values = values(output.object(env, "Application", COLLECTOR));
        assertThat(values).containsEntry("rewriteDeprecatedComponentNames", false).doesNotContainKeys("config", "presets");
        return KubeObject.path(values, "alternateConfig");
    }

    static Map<String, Object> values(KubeObject application) {
        return KubeObject.path(application.body(), "spec", "source", "helm", "valuesObject");
    }

    private String destination(String application, String env) {
        return KubeObject.string(KubeObject.path(output.object(env, "Application", application).body(), "spec", "destination")
                .get("namespace"));
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize().resolve("../..").normalize();
    }
}
