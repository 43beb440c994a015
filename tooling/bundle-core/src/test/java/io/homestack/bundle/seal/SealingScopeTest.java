package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SealingScopeTest {

    @Test
    void labelsAreBuiltAsUpstreamDoes() {
        assertThat(label(SealingScope.STRICT, "media", "db")).isEqualTo("media/db");
        assertThat(label(SealingScope.NAMESPACE_WIDE, "media", "db")).isEqualTo("media");
        assertThat(label(SealingScope.CLUSTER_WIDE, "media", "db")).isEmpty();
    }

    @Test
    void annotationsSelectTheScopeWithClusterWideFirst() {
        assertThat(SealingScope.fromAnnotations(null)).isEqualTo(SealingScope.STRICT);
        assertThat(SealingScope.fromAnnotations(Map.of("sealedsecrets.bitnami.com/namespace-wide", "true")))
                .isEqualTo(SealingScope.NAMESPACE_WIDE);
        assertThat(SealingScope.fromAnnotations(Map.of(
                "sealedsecrets.bitnami.com/namespace-wide", "true",
                "sealedsecrets.bitnami.com/cluster-wide", "true"))).isEqualTo(SealingScope.CLUSTER_WIDE);
        assertThat(SealingScope.fromAnnotations(Map.of("sealedsecrets.bitnami.com/cluster-wide", "false")))
                .isEqualTo(SealingScope.STRICT);
    }

    @Test
    void parsesKubesealSpellings() {
        assertThat(SealingScope.parse("namespace-wide")).isEqualTo(SealingScope.NAMESPACE_WIDE);
        assertThatThrownBy(() -> SealingScope.parse("global"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'global'")
                .hasMessageContaining("strict, namespace-wide, cluster-wide");
    }

    private static String label(SealingScope scope, String namespace, String name) {
        return new String(scope.label(namespace, name), StandardCharsets.UTF_8);
    }
}
