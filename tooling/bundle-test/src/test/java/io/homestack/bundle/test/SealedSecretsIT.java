package io.homestack.bundle.test;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.seal.EnvironmentCertificates;
import io.homestack.bundle.seal.SecretManifest;
import io.homestack.bundle.test.internal.TestBinaries;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What homestack seals for k3d (Java sealer, k3d test certificate) the real sealed-secrets controller unseals. */
@HomestackCluster
@RequiresCapability(Capability.SEALED_SECRETS)
class SealedSecretsIT {

    @Test
    void aSecretSealedForK3dIsUnsealedByTheController(TestCluster cluster) {
        String ns = cluster.createNamespace("sealed");
        Map<String, Object> sealed = new EnvironmentCertificates(TestBinaries.repoRoot()).sealer("k3d")
                .seal(SecretManifest.of(ns, "db-credentials", Map.of("password", "s3cr3t".getBytes(StandardCharsets.UTF_8))));
        cluster.apply("sealed-test", List.of(new KubeObject(sealed, "k3d/sealedsecret-db-credentials.yaml")));

        assertThatCluster(cluster).hasSecretUnsealed(ns, "db-credentials");
        String password = cluster.client().secrets().inNamespace(ns).withName("db-credentials").get().getData().get("password");
        assertThat(new String(Base64.getDecoder().decode(password), StandardCharsets.UTF_8)).isEqualTo("s3cr3t");
    }

    @Test
    void aSecretSealedForAnotherNamespaceIsNotUnsealedAndTheFailureSaysWhy(TestCluster cluster) {
        String ns = cluster.createNamespace("sealed-wrong");
        Map<String, Object> sealed = new EnvironmentCertificates(TestBinaries.repoRoot()).sealer("k3d")
                .seal(SecretManifest.of("elsewhere", "token", Map.of("t", "x".getBytes(StandardCharsets.UTF_8))));
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) sealed.get("metadata");
        metadata.put("namespace", ns); // strict scope: bound to namespace "elsewhere", so it cannot be opened here
        cluster.apply("sealed-test", List.of(new KubeObject(sealed, "k3d/sealedsecret-token.yaml")));

        assertThatThrownBy(() -> assertThatCluster(cluster).within(java.time.Duration.ofSeconds(10)).hasSecretUnsealed(ns, "token"))
                .hasMessageContaining("SealedSecret " + ns + "/token to be unsealed")
                .hasMessageContaining("no Secret")
                .hasMessageContaining("decrypt");
    }
}
