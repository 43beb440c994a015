package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentCertificatesTest {

    @TempDir
    Path tmp;

    @Test
    void k3dUsesTheCommittedTestCertificateWhoseKeyIsCommittedToo() {
        EnvironmentCertificates certificates = new EnvironmentCertificates(SealTestSupport.repoRoot());
        assertThat(certificates.certificatePath("k3d"))
                .isEqualTo(SealTestSupport.repoRoot().resolve("clusters/k3d/sealed-secrets/sealed-secrets-k3d.crt"));

        String sealed = certificates.sealer("k3d").sealValue("a", "b", "v", SealingScope.STRICT);
        assertThat(SealTestSupport.k3dUnsealer().unsealValue("a", "b", SealingScope.STRICT, sealed)).isEqualTo("v".getBytes());
    }

    @Test
    void k3sWithoutItsProductionCertificateFailsNamingTheFileAndHowToGetIt() throws Exception {
        // A repository in the state of today's: k3s has only its README, no certificate.
        Files.createDirectories(tmp.resolve("clusters/k3s/sealed-secrets"));
        Files.copy(SealTestSupport.repoRoot().resolve("clusters/k3s/sealed-secrets/README.md"),
                tmp.resolve("clusters/k3s/sealed-secrets/README.md"));

        assertThatThrownBy(() -> new EnvironmentCertificates(tmp).sealer("k3s"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("No production sealed-secrets certificate for k3s")
                .hasMessageContaining("clusters/k3s/sealed-secrets/sealed-secrets-k3s.crt does not exist")
                .hasMessageContaining("kubeseal --fetch-cert");
    }

    @Test
    void theK3dKeyIsNeverTheK3sCertificate() {
        Path k3s = SealTestSupport.repoRoot().resolve("clusters/k3s/sealed-secrets/sealed-secrets-k3s.crt");
        if (Files.exists(k3s)) {
            assertThat(SealingCertificate.load(k3s).publicKey())
                    .isNotEqualTo(SealTestSupport.k3dCertificate().publicKey());
        }
        assertThat(SealTestSupport.repoRoot().resolve("clusters/k3s/sealed-secrets")).isDirectoryNotContaining("glob:**.key");
    }

    @Test
    void anUnknownEnvironmentListsTheKnownOnes() {
        assertThatThrownBy(() -> new EnvironmentCertificates(tmp).load("prod"))
                .isInstanceOf(BundleException.class)
                .hasMessage("Unknown environment 'prod'; known environments: k3d, k3s");
    }
}
