package io.homestack.bundle.test.internal;

import io.homestack.bundle.k8s.KubeObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BundleApplierTest {

    @Test
    void namespacesThenCrdsThenTheRestInTheirOrder() {
        List<KubeObject> objects = List.of(obj("v1", "ConfigMap"), obj("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
                obj("networking.istio.io/v1", "VirtualService"), obj("v1", "Namespace"), obj("apps/v1", "Deployment"));
        assertThat(objects.stream().sorted(Comparator.comparingInt(BundleApplier::rank)).map(KubeObject::kind))
                .containsExactly("Namespace", "CustomResourceDefinition", "ConfigMap", "VirtualService", "Deployment");
    }

    @Test
    void theBundleIsNamedByItsMetadataElseByItsModule(@TempDir Path dir) throws IOException {
        Path output = dir.resolve("apps/media/target/bundle");
        Files.createDirectories(output.resolve(".homestack"));
        assertThat(BaseCluster.bundleName(output)).isEqualTo("media");
        Files.writeString(output.resolve(".homestack/bundle.json"), "{\"name\": \"media-stack\", \"version\": \"1\"}");
        assertThat(BaseCluster.bundleName(output)).isEqualTo("media-stack");
    }

    private static KubeObject obj(String apiVersion, String kind) {
        return new KubeObject(Map.of("apiVersion", apiVersion, "kind", kind, "metadata", Map.of("name", "x")), "f.yaml");
    }
}
