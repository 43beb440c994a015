package io.homestack.platform.ingress;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingress bundle against a real API server with the Istio and cert-manager CRDs (envtest here): the Gateway and
 * the Certificate pass strict server-side apply. Issuing the certificate needs running pods (cert-manager); that is
 * for the k3s and kubeconfig clusters.
 */
@HomestackCluster
class IngressIT {

    private TestCluster cluster;

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theApiServerAcceptsTheGatewayAndTheWildcardCertificate(String env) {
        List<HasMetadata> applied = cluster.apply(BundleOutput.ofModule(), env);

        assertThat(applied).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("Namespace", "Certificate", "Gateway", "Application", "VirtualService");
        assertThatCluster(cluster)
                .hasObject("networking.istio.io/v1", "Gateway", "istio-ingress", "homestack-gateway")
                .hasObject("cert-manager.io/v1", "Certificate", "istio-ingress", "homestack-wildcard")
                .hasObject("argoproj.io/v1alpha1", "Application", "argocd", "ingress-gateway")
                .hasObject("networking.istio.io/v1", "VirtualService", "istio-ingress", "argocd");
    }
}
