package io.homestack.platform.sealedsecrets;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.seal.EnvironmentCertificates;
import io.homestack.bundle.seal.SealYaml;
import io.homestack.bundle.seal.SealingScope;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sealed-secrets bundle, and what `make seal ENV=k3d` writes, against a real API server and the real controller
 * (envtest: the native controller of SEALED_SECRETS_VERSION with the k3d test key, as the k3d bootstrap loads it).
 */
@HomestackCluster
class SealedSecretsIT {

    private TestCluster cluster;

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theApiServerAcceptsTheChartsApplication(String env) {
        List<HasMetadata> applied = cluster.apply(BundleOutput.ofModule(), env);

        assertThat(applied).extracting(HasMetadata::getKind).containsExactly("Application");
        assertThatCluster(cluster).hasObject("argoproj.io/v1alpha1", "Application", "argocd", "sealed-secrets-sealed-secrets");
    }

    @Test
    @RequiresCapability(Capability.SEALED_SECRETS)
    void aStrictSealedSecretFromMakeSealIsUnsealedWhereItWasSealedFor() throws IOException {
        String ns = cluster.createNamespace("seal-strict");

        apply(seal(ns, "db-credentials", SealingScope.STRICT));

        assertThatCluster(cluster).hasSecretUnsealed(ns, "db-credentials");
        assertThat(unsealed(ns, "db-credentials")).isEqualTo("s3cr3t");
    }

    @Test
    @RequiresCapability(Capability.SEALED_SECRETS)
    void aNamespaceWideSealedSecretMayBeRenamed() throws IOException {
        String ns = cluster.createNamespace("seal-ns-wide");
        Map<String, Object> sealed = seal(ns, "original-name", SealingScope.NAMESPACE_WIDE);
        KubeObject.path(sealed, "metadata").put("name", "renamed");
        KubeObject.path(sealed, "spec", "template", "metadata").put("name", "renamed");

        apply(sealed);

        assertThatCluster(cluster).hasSecretUnsealed(ns, "renamed");
        assertThat(unsealed(ns, "renamed")).isEqualTo("s3cr3t");
    }

    @Test
    @RequiresCapability(Capability.SEALED_SECRETS)
    void aClusterWideSealedSecretOpensInAnyNamespace() throws IOException {
        String ns = cluster.createNamespace("seal-cluster-wide");
        Map<String, Object> sealed = seal("somewhere-else", "token", SealingScope.CLUSTER_WIDE);
        KubeObject.path(sealed, "metadata").put("namespace", ns);
        KubeObject.path(sealed, "spec", "template", "metadata").put("namespace", ns);

        apply(sealed);

        assertThatCluster(cluster).hasSecretUnsealed(ns, "token");
        assertThat(unsealed(ns, "token")).isEqualTo("s3cr3t");
    }

    // --- helpers ---

    /** What `make seal ENV=k3d IN=<file> SCOPE=<scope>` prints: the seal goal calls exactly this. */
    private Map<String, Object> seal(String namespace, String name, SealingScope scope) throws IOException {
        Path secret = work.resolve(name + ".yaml");
        Files.writeString(secret, """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: %s
                  namespace: %s
                stringData:
                  password: s3cr3t
                """.formatted(name, namespace));
        String yaml = new EnvironmentCertificates(repoRoot()).sealer("k3d").sealFile(secret, scope);
        return SealYaml.read(yaml, secret.toString());
    }

    private void apply(Map<String, Object> sealed) {
        cluster.apply("sealed-secrets", List.of(new KubeObject(sealed, "sealedsecret.yaml")));
    }

    private String unsealed(String namespace, String name) {
        String value = cluster.client().secrets().inNamespace(namespace).withName(name).get().getData().get("password");
        return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize().resolve("../..")
                .normalize();
    }
}
