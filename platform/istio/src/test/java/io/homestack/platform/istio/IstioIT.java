package io.homestack.platform.istio;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The istio bundle against a real API server with the Istio CRDs of CRD_ISTIO_VERSION (envtest here): strict
 * server-side apply proves every field of the mesh objects and of the default-deny component is in the schema.
 */
@HomestackCluster
class IstioIT {

    private TestCluster cluster;

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theApiServerAcceptsEveryObjectOfTheBundle(String env) {
        List<HasMetadata> applied = cluster.apply(BundleOutput.ofModule(), env);

        assertThat(applied).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
                "Namespace", "PeerAuthentication", "Telemetry", "Application", "Application", "Application");
        assertThatCluster(cluster)
                .hasObject("security.istio.io/v1", "PeerAuthentication", "istio-system", "default")
                .hasObject("telemetry.istio.io/v1", "Telemetry", "istio-system", "mesh-default")
                .hasObject("argoproj.io/v1alpha1", "Application", "argocd", "istio-istiod");
    }

    @Test
    void theDefaultDenyComponentIsValidInAnAppNamespace() throws IOException {
        String namespace = cluster.createNamespace("default-deny");
        Path component = Path.of(System.getProperty("homestack.bundle.dir", ".")).resolve("components/default-deny");
        List<KubeObject> policies = new ArrayList<>();
        for (String file : List.of("authorizationpolicy-default-deny.yaml", "authorizationpolicy-allow-ingress-gateway.yaml",
                "authorizationpolicy-allow-prometheus.yaml")) {
            for (Map<String, Object> doc : Yaml.readAll(Files.readString(component.resolve(file)), file)) {
                KubeObject.path(doc, "metadata").put("namespace", namespace);
                policies.add(new KubeObject(doc, file));
            }
        }

        assertThat(cluster.apply("istio", policies)).hasSize(3);
        for (String name : List.of("default-deny", "allow-ingress-gateway", "allow-prometheus")) {
            assertThatCluster(cluster).hasObject("security.istio.io/v1", "AuthorizationPolicy", namespace, name);
        }
    }
}
