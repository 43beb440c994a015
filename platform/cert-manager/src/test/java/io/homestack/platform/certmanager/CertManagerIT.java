package io.homestack.platform.certmanager;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.render.Kustomize;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cert-manager bundle against a real API server with the cert-manager CRDs of CRD_CERT_MANAGER_VERSION (envtest
 * here): strict server-side apply proves every field of the CA chain, and of the ACME issuers once enabled, is in the
 * schema. Issuing needs cert-manager running, which envtest has not.
 */
@HomestackCluster
class CertManagerIT {

    private static final String CERT_MANAGER = "cert-manager.io/v1";

    private TestCluster cluster;

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theApiServerAcceptsTheCaChainAndTheChartsApplication(String env) {
        List<HasMetadata> applied = cluster.apply(BundleOutput.ofModule(), env);

        assertThat(applied).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
                "Namespace", "ClusterIssuer", "Certificate", "ClusterIssuer", "Application");
        assertThatCluster(cluster)
                .hasObject(CERT_MANAGER, "ClusterIssuer", null, "homestack-selfsigned")
                .hasObject(CERT_MANAGER, "Certificate", "cert-manager", "homestack-ca")
                .hasObject(CERT_MANAGER, "ClusterIssuer", null, "homestack-ca")
                .hasObject("argoproj.io/v1alpha1", "Application", "argocd", "cert-manager-cert-manager");
    }

    /** The k3s overlay with the ACME component switched on, as the README says to. */
    @Test
    void theApiServerAcceptsTheAcmeIssuersOnceEnabled() throws IOException {
        Path bundleDir = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();
        Path overlay = Files.createDirectories(bundleDir.resolve("target/it-overlays/k3s-acme"));
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../../../manifests/k3s
                components:
                  - ../../../manifests/components/acme-dns01
                """);
        List<KubeObject> objects = Kustomize.locate().build("cert-manager", bundleDir, overlay,
                bundleDir.resolve("target/it-overlays/work"));

        cluster.apply("cert-manager", objects);

        assertThatCluster(cluster)
                .hasObject(CERT_MANAGER, "ClusterIssuer", null, "letsencrypt-staging")
                .hasObject(CERT_MANAGER, "ClusterIssuer", null, "letsencrypt");
    }
}
