package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.homestack.bundle.seal.SealTestSupport.child;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where a sealed value may move: a SealedSecret is renamed or moved to another namespace, and both the
 * Java unsealer and {@code kubeseal --recovery-unseal} (the controller's code) must agree on whether it
 * still opens. Run for values sealed by each sealer.
 */
class ScopeMobilityTest {

    enum Sealer { JAVA, KUBESEAL }

    private static final String VALUE = "only-for-the-right-place";

    private final KubesealCli kubeseal = SealTestSupport.kubeseal();
    private final Unsealer unsealer = SealTestSupport.k3dUnsealer();

    @ParameterizedTest
    @EnumSource(Sealer.class)
    void strictIsBoundToNamespaceAndName(Sealer sealer) {
        Map<String, Object> sealed = seal(sealer, SealingScope.STRICT);

        assertOpens(moved(sealed, "team-a", "app-x"));
        assertDoesNotOpen(moved(sealed, "team-b", "app-x"));
        assertDoesNotOpen(moved(sealed, "team-a", "app-y"));
    }

    @ParameterizedTest
    @EnumSource(Sealer.class)
    void namespaceWideMayBeRenamedButNotMoved(Sealer sealer) {
        Map<String, Object> sealed = seal(sealer, SealingScope.NAMESPACE_WIDE);

        assertOpens(moved(sealed, "team-a", "app-y"));
        assertDoesNotOpen(moved(sealed, "team-b", "app-x"));
    }

    @ParameterizedTest
    @EnumSource(Sealer.class)
    void clusterWideOpensAnywhere(Sealer sealer) {
        Map<String, Object> sealed = seal(sealer, SealingScope.CLUSTER_WIDE);

        assertOpens(moved(sealed, "team-b", "app-y"));
        assertOpens(moved(sealed, "kube-system", "anything"));
    }

    @ParameterizedTest
    @EnumSource(Sealer.class)
    void wideningTheScopeAnnotationDoesNotUnlockAStrictValue(Sealer sealer) {
        Map<String, Object> sealed = seal(sealer, SealingScope.STRICT);
        child(sealed, "metadata").put("annotations", Map.of("sealedsecrets.bitnami.com/cluster-wide", "true"));

        assertDoesNotOpen(moved(sealed, "team-b", "app-y"));
    }

    private Map<String, Object> seal(Sealer sealer, SealingScope scope) {
        SecretManifest secret = SecretManifest.of("team-a", "app-x", Map.of("token", VALUE.getBytes(StandardCharsets.UTF_8)));
        return switch (sealer) {
            case JAVA -> SealYaml.read(SealYaml.write(SealTestSupport.k3dSealer().seal(secret, scope)), "java");
            case KUBESEAL -> SealYaml.read(kubeseal.seal(secret, scope, SealTestSupport.k3dCertificateFile()), "kubeseal");
        };
    }

    /** The SealedSecret as if someone had changed its metadata (and template) to another place. */
    private static String moved(Map<String, Object> sealed, String namespace, String name) {
        Map<String, Object> copy = SealYaml.read(SealYaml.write(sealed), "copy");
        for (Map<String, Object> metadata : new Map[] {child(copy, "metadata"), child(copy, "spec", "template", "metadata")}) {
            metadata.put("namespace", namespace);
            metadata.put("name", name);
        }
        return SealYaml.write(new LinkedHashMap<>(copy));
    }

    private void assertOpens(String sealedYaml) {
        assertThat(unsealer.unseal(SealYaml.read(sealedYaml, "moved"), "moved").stringValue("token")).isEqualTo(VALUE);
        assertThat(kubeseal.recoveryUnsealToSecret(sealedYaml, SealTestSupport.k3dKeyFile()).stringValue("token"))
                .isEqualTo(VALUE);
    }

    private void assertDoesNotOpen(String sealedYaml) {
        assertThatThrownBy(() -> unsealer.unseal(SealYaml.read(sealedYaml, "moved"), "moved"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("key 'token': none of the 1 private key(s) can unseal it");
        assertThatThrownBy(() -> kubeseal.recoveryUnseal(sealedYaml, SealTestSupport.k3dKeyFile()))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("no key could decrypt secret");
    }
}
