package io.homestack.bundle.seal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.homestack.bundle.seal.SealTestSupport.child;
import static org.assertj.core.api.Assertions.assertThat;

/** What the Java sealer seals, the real kubeseal opens, and the other way round, for every scope. */
class KubesealInteropTest {

    private final KubesealCli kubeseal = SealTestSupport.kubeseal();
    private final SecretSealer sealer = SealTestSupport.k3dSealer();
    private final Unsealer unsealer = SealTestSupport.k3dUnsealer();
    private final Path certificate = SealTestSupport.k3dCertificateFile();
    private final Path key = SealTestSupport.k3dKeyFile();

    /** Binary, multi-byte UTF-8, empty and multi-line values, with metadata that must survive. */
    private static SecretManifest sample() {
        Map<String, byte[]> data = new LinkedHashMap<>();
        data.put("binary", SealTestSupport.allBytes());
        data.put("utf8", "pässwörd ✓ 🔑 日本語".getBytes(StandardCharsets.UTF_8));
        data.put("empty", new byte[0]);
        data.put("config.yaml", "a: 1\nb: \"two\"\n".getBytes(StandardCharsets.UTF_8));
        return new SecretManifest("db-credentials", "media", "Opaque", null,
                Map.of("app.kubernetes.io/name", "postgres"), Map.of("homestack.io/owner", "media-team"), data);
    }

    @ParameterizedTest
    @EnumSource(SealingScope.class)
    void javaSealedSecretsAreOpenedByKubesealRecoveryUnseal(SealingScope scope) {
        String sealed = SealYaml.write(sealer.seal(sample(), scope));

        SecretManifest opened = kubeseal.recoveryUnsealToSecret(sealed, key);

        assertSameSecret(opened, sample(), scope);
    }

    @ParameterizedTest
    @EnumSource(SealingScope.class)
    void kubesealSealedSecretsAreOpenedByTheJavaUnsealer(SealingScope scope) {
        String sealed = kubeseal.seal(sample(), scope, certificate);

        SecretManifest opened = unsealer.unseal(SealYaml.read(sealed, "kubeseal output"), "kubeseal output");

        assertSameSecret(opened, sample(), scope);
    }

    @ParameterizedTest
    @EnumSource(SealingScope.class)
    void bothSealersWriteTheSameSealedSecretApartFromTheCiphertexts(SealingScope scope) {
        Map<String, Object> fromJava = sealer.seal(sample(), scope);
        Map<String, Object> fromKubeseal = SealYaml.read(kubeseal.seal(sample(), scope, certificate), "kubeseal output");

        assertThat(withoutCiphertexts(fromJava)).isEqualTo(withoutCiphertexts(fromKubeseal));
    }

    @ParameterizedTest
    @EnumSource(SealingScope.class)
    void singleValuesInterchangeLikeKubesealRaw(SealingScope scope) {
        byte[] value = "rotated ✓".getBytes(StandardCharsets.UTF_8);

        String byKubeseal = kubeseal.sealValue("media", "db-credentials", value, scope, certificate);
        assertThat(unsealer.unsealValue("media", "db-credentials", scope, byKubeseal)).isEqualTo(value);

        // A value re-sealed in Java, dropped into a kubeseal-made SealedSecret, opens with kubeseal.
        Map<String, Object> kubesealMade = SealYaml.read(kubeseal.seal(sample(), scope, certificate), "kubeseal output");
        Map<String, Object> updated = sealer.resealValue(kubesealMade, "kubeseal output", "utf8", value);
        SecretManifest opened = kubeseal.recoveryUnsealToSecret(SealYaml.write(updated), key);
        assertThat(opened.data().get("utf8")).isEqualTo(value);
        assertThat(opened.data().get("binary")).isEqualTo(SealTestSupport.allBytes());
    }

    private static void assertSameSecret(SecretManifest opened, SecretManifest expected, SealingScope scope) {
        assertThat(opened.name()).isEqualTo(expected.name());
        assertThat(opened.namespace()).isEqualTo(expected.namespace());
        assertThat(opened.type()).isEqualTo(expected.type());
        assertThat(opened.labels()).isEqualTo(expected.labels());
        assertThat(opened.annotations()).isEqualTo(SecretSealer.withScopeAnnotation(expected.annotations(), scope));
        assertThat(opened.data()).containsOnlyKeys(expected.data().keySet());
        expected.data().forEach((k, v) -> assertThat(opened.data().get(k)).as(k).isEqualTo(v));
    }

    private static Map<String, Object> withoutCiphertexts(Map<String, Object> sealed) {
        Map<String, Object> copy = SealYaml.read(SealYaml.write(sealed), "copy");
        Map<String, Object> spec = child(copy, "spec");
        spec.put("encryptedData", child(copy, "spec", "encryptedData").keySet());
        return copy;
    }
}
