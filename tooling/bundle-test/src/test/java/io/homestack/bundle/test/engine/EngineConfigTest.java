package io.homestack.bundle.test.engine;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineConfigTest {

    private static final String CONFIG = """
            receivers:
              otlp:
                protocols:
                  grpc: {endpoint: "${env:MY_POD_IP}:4317"}
            exporters:
              otlp_grpc/jaeger: {endpoint: "jaeger.observability.svc.cluster.local:4317"}
            service:
              telemetry:
                metrics:
                  readers:
                    - pull: {exporter: {prometheus: {host: "${env:MY_POD_IP}", port: 8888}}}
            """;

    @Test
    void everyNamedEndpointIsReplacedAndNothingElseChanges() {
        Map<String, Object> config = Yaml.readMap(CONFIG, "test");
        Map<String, Object> local = EngineConfig.withAddresses(config, Map.of(
                "${env:MY_POD_IP}:4317", "127.0.0.1:1", "jaeger.observability.svc.cluster.local:4317", "127.0.0.1:2"));

        assertThat(KubeObject.path(local, "receivers", "otlp", "protocols", "grpc")).containsEntry("endpoint", "127.0.0.1:1");
        assertThat(KubeObject.path(local, "exporters", "otlp_grpc/jaeger")).containsEntry("endpoint", "127.0.0.1:2");
        assertThat(KubeObject.path(config, "exporters", "otlp_grpc/jaeger")).as("the input is left alone")
                .containsEntry("endpoint", "jaeger.observability.svc.cluster.local:4317");
        assertThat(EngineConfig.withMetricsPort(local, 9).toString()).contains("{host=127.0.0.1, port=9}");
    }

    @Test
    void anEndpointThatOccursNowhereIsAnError() {
        assertThatThrownBy(() -> EngineConfig.withAddresses(Yaml.readMap(CONFIG, "test"), Map.of("tempo:4317", "x")))
                .hasMessage("no endpoint [tempo:4317] in the configuration");
        assertThatThrownBy(() -> EngineConfig.withMetricsPort(Map.of(), 9)).hasMessageContaining("no service.telemetry");
    }
}
