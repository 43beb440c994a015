package io.homestack.bundle.test.engine;

import io.homestack.bundle.k8s.Yaml;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OtelCollectorTest {

    @Test
    void aComponentsTypeIsItsIdBeforeTheSlashPerKind() {
        Map<String, Object> config = Yaml.readMap("""
                receivers: {otlp: {}}
                processors: {batch: {}, memory_limiter: {}}
                exporters: {otlp_grpc/jaeger: {}, otlp_grpc/tempo: {}}
                extensions: {health_check: {}}
                service: {pipelines: {}}
                """, "test");

        assertThat(OtelCollector.componentsOf(config)).containsEntry("receivers", Set.of("otlp"))
                .containsEntry("processors", Set.of("batch", "memory_limiter"))
                .containsEntry("exporters", Set.of("otlp_grpc")).containsEntry("extensions", Set.of("health_check"))
                .containsEntry("connectors", Set.of());
    }

    @Test
    void whatIsUsedButNotBuiltInIsNamedByKindAndType() {
        var used = Map.of("exporters", Set.of("otlp_grpc", "zipkin"), "receivers", Set.of("otlp"));
        var built = Map.of("exporters", Set.of("otlp_grpc"), "receivers", Set.of("otlp"));

        assertThat(OtelCollector.notBuiltIn(used, built)).containsExactly("exporters/zipkin");
        assertThat(OtelCollector.notBuiltIn(built, used)).isEmpty();
    }
}
