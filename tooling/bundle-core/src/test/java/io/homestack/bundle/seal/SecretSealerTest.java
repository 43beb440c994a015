package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static io.homestack.bundle.seal.SealTestSupport.child;
import static io.homestack.bundle.seal.SealTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java sealer on its own; interoperability with kubeseal is in {@link KubesealInteropTest}. */
class SecretSealerTest {

    private final SecretSealer sealer = SealTestSupport.k3dSealer();
    private final Unsealer unsealer = SealTestSupport.k3dUnsealer();

    @Test
    void sealsEveryValueAndCarriesTheSecretsMetadataInTheTemplate() {
        Path file = resource("secret-full.yaml");
        Map<String, Object> sealed = SealYaml.read(sealer.sealFile(file, SealingScope.STRICT), "sealed");

        assertThat(sealed).containsEntry("apiVersion", "bitnami.com/v1alpha1").containsEntry("kind", "SealedSecret");
        assertThat(child(sealed, "metadata")).containsOnly(Map.entry("name", "db-credentials"), Map.entry("namespace", "media"));
        assertThat(child(sealed, "spec", "encryptedData")).containsOnlyKeys("greeting", "password", "username");

        Map<String, Object> template = child(sealed, "spec", "template");
        assertThat(template).containsEntry("type", "kubernetes.io/basic-auth");
        assertThat(child(template, "metadata"))
                .containsEntry("name", "db-credentials")
                .containsEntry("namespace", "media")
                .containsEntry("labels", Map.of("app.kubernetes.io/name", "postgres", "tier", "1"))
                // the last-applied annotation held the plaintext; server fields are gone too
                .containsEntry("annotations", Map.of("homestack.io/owner", "media-team", "reloader.stakater.com/match", "true"))
                .containsOnlyKeys("name", "namespace", "labels", "annotations");

        SecretManifest secret = unsealer.unseal(sealed, "sealed");
        assertThat(secret.stringValue("username")).isEqualTo("media");
        assertThat(secret.stringValue("password")).isEqualTo("hunter2");
        assertThat(secret.stringValue("greeting")).isEqualTo("pässwörd ✓ 🔑");
        assertThat(secret.type()).isEqualTo("kubernetes.io/basic-auth");
        assertThat(secret.labels()).containsEntry("tier", "1");
    }

    @ParameterizedTest
    @EnumSource(SealingScope.class)
    void theScopeIsAnnotatedOnTheSealedSecretAndItsTemplate(SealingScope scope) {
        SecretManifest secret = SecretManifest.of("media", "db", Map.of("k", bytes("v")))
                // a contradicting annotation on the input loses against the explicit scope
                .withAnnotations(Map.of("sealedsecrets.bitnami.com/cluster-wide", "true", "keep", "me"));
        Map<String, Object> sealed = sealer.seal(secret, scope);

        Map<String, String> expected = scope.annotation() == null ? Map.of() : Map.of(scope.annotation(), "true");
        assertThat(child(sealed, "metadata").getOrDefault("annotations", Map.of())).isEqualTo(expected);
        Map<String, String> templateAnnotations = new java.util.TreeMap<>(expected);
        templateAnnotations.put("keep", "me");
        assertThat(child(sealed, "spec", "template", "metadata")).containsEntry("annotations", templateAnnotations);
        assertThat(unsealer.unseal(sealed, "sealed").stringValue("k")).isEqualTo("v");
    }

    @Test
    void withoutAnExplicitScopeTheSecretsAnnotationsDecide() {
        SecretManifest secret = SecretManifest.of("media", "db", Map.of("k", bytes("v")))
                .withAnnotations(Map.of("sealedsecrets.bitnami.com/namespace-wide", "true"));
        assertThat(child(sealer.seal(secret), "metadata"))
                .containsEntry("annotations", Map.of("sealedsecrets.bitnami.com/namespace-wide", "true"));
    }

    @Test
    void yamlOutputKeepsStringsThatLookLikeBooleansOrNumbersAsStrings() {
        String yaml = sealer.sealFile(resource("secret-full.yaml"), SealingScope.CLUSTER_WIDE);
        assertThat(yaml).contains("sealedsecrets.bitnami.com/cluster-wide: \"true\"")
                .contains("tier: \"1\"")
                .doesNotStartWith("---")
                .doesNotContain("hunter2");
        // one ciphertext per line: no folding
        assertThat(yaml.lines().filter(l -> l.trim().startsWith("password: ")).findFirst().orElseThrow())
                .matches(" *password: [A-Za-z0-9+/=]{700,}");
    }

    @Test
    void clusterWideNeedsNoNamespace() {
        Map<String, Object> sealed = sealer.seal(SealYaml.readFile(resource("secret-no-namespace.yaml")),
                "secret-no-namespace.yaml", SealingScope.CLUSTER_WIDE);
        assertThat(child(sealed, "metadata")).doesNotContainKey("namespace");
        assertThat(unsealer.unseal(sealed, "x").stringValue("token")).isEqualTo("s3cr3t");
    }

    @Test
    void aSingleValueCanBeResealedWithoutTouchingTheOthers() {
        Map<String, Object> sealed = sealer.seal(SecretManifest.of("media", "db",
                Map.of("user", bytes("media"), "password", bytes("old"))), SealingScope.NAMESPACE_WIDE);
        Object userCiphertext = child(sealed, "spec", "encryptedData").get("user");

        Map<String, Object> resealed = sealer.resealValue(sealed, "db.yaml", "password", bytes("new"));

        assertThat(child(resealed, "spec", "encryptedData").get("user")).isEqualTo(userCiphertext);
        SecretManifest secret = unsealer.unseal(resealed, "db.yaml");
        assertThat(secret.stringValue("password")).isEqualTo("new");
        assertThat(secret.stringValue("user")).isEqualTo("media");
        assertThat(child(sealed, "spec", "encryptedData").get("password"))
                .as("the input is not modified").isNotEqualTo(child(resealed, "spec", "encryptedData").get("password"));
    }

    @Test
    void sealValueIsTheRawModeAndNeedsWhatTheScopeBindsTo() {
        String sealed = sealer.sealValue("media", "db", "raw-value", SealingScope.STRICT);
        assertThat(unsealer.unsealValue("media", "db", SealingScope.STRICT, sealed)).isEqualTo(bytes("raw-value"));

        assertThatThrownBy(() -> sealer.sealValue("media", null, "v", SealingScope.STRICT))
                .isInstanceOf(BundleException.class).hasMessageContaining("no metadata.name");
        assertThatThrownBy(() -> sealer.sealValue(null, "db", "v", SealingScope.NAMESPACE_WIDE))
                .isInstanceOf(BundleException.class).hasMessageContaining("no metadata.namespace");
        assertThat(sealer.sealValue(null, null, "v", SealingScope.CLUSTER_WIDE)).isNotBlank();
    }

    @Test
    void aConfigMapIsRejectedNamingFileKindAndObject() {
        assertThatThrownBy(() -> sealer.sealFile(resource("configmap.yaml"), SealingScope.STRICT))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("configmap.yaml")
                .hasMessageContaining("ConfigMap media/app-config is a ConfigMap, not a Secret");
    }

    @Test
    void strictAndNamespaceWideScopesNeedANamespace() {
        for (SealingScope scope : new SealingScope[] {SealingScope.STRICT, SealingScope.NAMESPACE_WIDE}) {
            assertThatThrownBy(() -> sealer.sealFile(resource("secret-no-namespace.yaml"), scope))
                    .isInstanceOf(BundleException.class)
                    .hasMessageContaining("secret-no-namespace.yaml")
                    .hasMessageContaining("Secret shared-token has no metadata.namespace")
                    .hasMessageContaining(scope.cliName());
        }
    }

    @Test
    void badInputsSayWhatIsWrong() {
        assertThatThrownBy(() -> sealer.sealFile(resource("secret-two-documents.yaml"), SealingScope.STRICT))
                .isInstanceOf(BundleException.class).hasMessageContaining("exactly one Kubernetes object, found 2");
        assertThatThrownBy(() -> sealer.sealFile(resource("secret-bad-values.yaml"), SealingScope.STRICT))
                .isInstanceOf(BundleException.class).hasMessageContaining("Secret media/bad: stringData.port must be a string");
        assertThatThrownBy(() -> sealer.sealFile(resource("secret-bad-base64.yaml"), SealingScope.STRICT))
                .isInstanceOf(BundleException.class).hasMessageContaining("data.password is not base64");
        assertThatThrownBy(() -> sealer.sealFile(resource("secret-empty.yaml"), SealingScope.STRICT))
                .isInstanceOf(BundleException.class).hasMessageContaining("no data and no stringData");
        assertThatThrownBy(() -> sealer.sealFile(Path.of("does/not/exist.yaml"), SealingScope.STRICT))
                .isInstanceOf(BundleException.class).hasMessageContaining("does/not/exist.yaml");
        assertThatThrownBy(() -> sealer.seal(Map.of("apiVersion", "v1", "kind", "Secret",
                        "metadata", Map.of("name", "x", "namespace", "y"), "stringData", Map.of("no/slash", "v")),
                "inline", SealingScope.STRICT))
                .isInstanceOf(BundleException.class).hasMessageContaining("'no/slash' is not a valid Secret key");
        assertThatThrownBy(() -> sealer.seal(Map.of("kind", "Secret", "metadata", Map.of("name", "x")),
                "inline", SealingScope.STRICT))
                .isInstanceOf(BundleException.class).hasMessageContaining("apiVersion null; a Secret must be apiVersion v1");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
