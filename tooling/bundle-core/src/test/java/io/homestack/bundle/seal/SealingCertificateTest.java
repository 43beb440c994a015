package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SealingCertificateTest {

    @TempDir
    Path tmp;

    @Test
    void loadsTheK3dCertificate() {
        SealingCertificate cert = SealTestSupport.k3dCertificate();
        assertThat(cert.publicKey().getModulus().bitLength()).isEqualTo(4096);
        assertThat(cert.certificate().orElseThrow().getSubjectX500Principal().getName())
                .contains("CN=homestack-k3d-test-only");
        assertThat(cert.toString()).contains("sealed-secrets-k3d.crt");
    }

    /** The controller's own certificates have an empty issuer: the JDK refuses them, kubeseal does not. */
    @Test
    void aCertificateWithAnEmptyIssuerSealsForItsKey() throws Exception {
        Path resources = Path.of(SealingCertificateTest.class.getResource("/seal/empty-issuer.crt").toURI()).getParent();
        SealingCertificate cert = SealingCertificate.load(resources.resolve("empty-issuer.crt"));
        assertThat(cert.publicKey().getModulus().bitLength()).isEqualTo(2048);
        assertThat(cert.certificate()).isEmpty();

        String sealed = SealYaml.write(new SecretSealer(cert).seal(
                SecretManifest.of("media", "db", java.util.Map.of("password", "s3cret".getBytes())), SealingScope.STRICT));
        SecretManifest opened = SealTestSupport.kubeseal().recoveryUnsealToSecret(sealed, resources.resolve("empty-issuer.key"));
        assertThat(new String(opened.data().get("password"))).isEqualTo("s3cret");
    }

    @Test
    void anExpiredCertificateWithAnEmptyIssuerIsRefused() throws Exception {
        Path crt = Path.of(SealingCertificateTest.class.getResource("/seal/empty-issuer.crt").toURI());
        assertThatThrownBy(() -> SealingCertificate.parse(Files.readString(crt), "old.crt", Instant.parse("2040-01-01T00:00:00Z")))
                .isInstanceOf(BundleException.class).hasMessageContaining("old.crt expired on 2036-");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = tmp.resolve("nowhere/sealed-secrets.crt");
        assertThatThrownBy(() -> SealingCertificate.load(missing))
                .isInstanceOf(BundleException.class)
                .hasMessage("Sealing certificate not found: " + missing);
    }

    @Test
    void aFileWithoutACertificateIsRejected() throws Exception {
        Path notPem = Files.writeString(tmp.resolve("cert.pem"), "hello");
        assertThatThrownBy(() -> SealingCertificate.load(notPem))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining(notPem.toString())
                .hasMessageContaining("no PEM CERTIFICATE or PUBLIC KEY");

        // the private key is the classic mix-up
        assertThatThrownBy(() -> SealingCertificate.load(SealTestSupport.k3dKeyFile()))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("(found [PRIVATE KEY])");

        Path garbage = Files.writeString(tmp.resolve("garbage.crt"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> SealingCertificate.load(garbage))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("is not a valid X.509 certificate");
    }

    @Test
    void aNonRsaCertificateIsRejected() {
        assertThatThrownBy(() -> SealingCertificate.load(SealTestSupport.resource("ec-certificate.crt")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("has a EC key; sealed-secrets needs RSA");
    }

    @Test
    void anExpiredCertificateIsRefusedAsKubesealDoes() throws Exception {
        String pem = Files.readString(SealTestSupport.k3dCertificateFile());
        assertThatThrownBy(() -> SealingCertificate.parse(pem, "k3d.crt", Instant.parse("2127-01-01T00:00:00Z")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("k3d.crt expired on 2126-");
    }

    @Test
    void aBarePublicKeyAlsoSeals() throws Exception {
        byte[] der = SealTestSupport.k3dCertificate().publicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
        SealingCertificate cert = SealingCertificate.load(Files.writeString(tmp.resolve("pub.pem"), pem));
        assertThat(cert.certificate()).isEmpty();

        String sealed = new SecretSealer(cert).sealValue("a", "b", "v", SealingScope.STRICT);
        assertThat(SealTestSupport.k3dUnsealer().unsealValue("a", "b", SealingScope.STRICT, sealed))
                .isEqualTo("v".getBytes());
    }
}
