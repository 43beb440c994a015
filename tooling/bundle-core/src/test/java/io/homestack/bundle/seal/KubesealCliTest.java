package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.ExternalProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wrapper's own behaviour with the real kubeseal: version, failures, missing files, timeouts. */
class KubesealCliTest {

    private final KubesealCli kubeseal = SealTestSupport.kubeseal();

    @Test
    void reportsAVersionWithTheFlagsAndFormatUsedHere() {
        // Checked against v0.36.6 and v0.40.0 (where the module moved to github.com/bitnami/sealed-secrets):
        // same flags, same ciphertext format.
        String version = kubeseal.version();
        assertThat(version).matches("v0\\.\\d+\\.\\d+.*");
        assertThat(Integer.parseInt(version.split("\\.")[1])).as(version).isGreaterThanOrEqualTo(36);
    }

    @Test
    void aFailureCarriesKubesealsStderr() {
        String sealed = kubeseal.seal(SecretManifest.of("a", "b", Map.of("k", "v".getBytes())),
                SealingScope.STRICT, SealTestSupport.k3dCertificateFile());
        String moved = sealed.replace("namespace: a", "namespace: elsewhere");

        assertThatThrownBy(() -> kubeseal.recoveryUnseal(moved, SealTestSupport.k3dKeyFile()))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("kubeseal --recovery-unseal --recovery-private-key")
                .hasMessageContaining("failed (exit 1)")
                .hasMessageContaining("no key could decrypt secret");
    }

    @Test
    void aMissingCertificateOrKeyIsNamed() {
        Path missing = Path.of("clusters/k3s/sealed-secrets/sealed-secrets-k3s.crt");
        assertThatThrownBy(() -> kubeseal.sealValue("a", "b", new byte[] {1}, SealingScope.STRICT, missing))
                .isInstanceOf(BundleException.class)
                .hasMessage("File not found: " + missing);
        assertThatThrownBy(() -> kubeseal.recoveryUnseal("{}", Path.of("nope.key")))
                .isInstanceOf(BundleException.class)
                .hasMessage("File not found: nope.key");
    }

    @Test
    void aHangingProcessIsKilledAtTheTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> ExternalProcess.run(List.of("sleep", "30"), Map.of(), new byte[0], Duration.ofMillis(300)))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("sleep 30 did not finish within");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
