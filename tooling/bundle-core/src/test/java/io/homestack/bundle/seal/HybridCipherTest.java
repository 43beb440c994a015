package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HybridCipherTest {

    private static final byte[] LABEL = "media/db".getBytes(StandardCharsets.UTF_8);

    private final SealingCertificate cert = SealTestSupport.k3dCertificate();
    private final RSAPrivateKey key = privateKey();

    @Test
    void layoutIsLengthThenRsaBlockThenGcmCiphertextWithTag() {
        byte[] plaintext = SealTestSupport.allBytes();
        byte[] sealed = HybridCipher.encrypt(cert.publicKey(), plaintext, LABEL, new SecureRandom());

        int rsaBytes = 4096 / 8;
        assertThat(((sealed[0] & 0xff) << 8) | (sealed[1] & 0xff)).isEqualTo(rsaBytes);
        assertThat(sealed).hasSize(2 + rsaBytes + plaintext.length + 16);
        assertThat(HybridCipher.decrypt(key, sealed, LABEL)).isEqualTo(plaintext);
    }

    @Test
    void everyEncryptionUsesAFreshSessionKey() {
        byte[] plaintext = "same".getBytes(StandardCharsets.UTF_8);
        byte[] one = HybridCipher.encrypt(cert.publicKey(), plaintext, LABEL, new SecureRandom());
        byte[] two = HybridCipher.encrypt(cert.publicKey(), plaintext, LABEL, new SecureRandom());
        // Zero nonces are only safe because the AES parts differ: the keys differ.
        assertThat(tail(one, plaintext.length + 16)).isNotEqualTo(tail(two, plaintext.length + 16));
    }

    @Test
    void anotherLabelDoesNotOpenIt() {
        byte[] sealed = HybridCipher.encrypt(cert.publicKey(), new byte[] {1, 2, 3}, LABEL, new SecureRandom());
        assertThatThrownBy(() -> HybridCipher.decrypt(key, sealed, "media/other".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(HybridCipher.WrongKeyOrLabelException.class)
                .hasMessageContaining("RSA-OAEP");
    }

    @Test
    void tamperingWithTheAesPartIsDetected() {
        byte[] sealed = HybridCipher.encrypt(cert.publicKey(), new byte[] {1, 2, 3}, LABEL, new SecureRandom());
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> HybridCipher.decrypt(key, sealed, LABEL))
                .isInstanceOf(HybridCipher.WrongKeyOrLabelException.class)
                .hasMessageContaining("authentication");
    }

    @Test
    void truncatedInputIsAFormatError() {
        assertThatThrownBy(() -> HybridCipher.decrypt(key, new byte[] {2}, LABEL))
                .isInstanceOf(BundleException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> HybridCipher.decrypt(key, new byte[] {2, 0, 9, 9}, LABEL))
                .isInstanceOf(BundleException.class).hasMessageContaining("512-byte RSA block");
    }

    private static byte[] tail(byte[] bytes, int n) {
        return java.util.Arrays.copyOfRange(bytes, bytes.length - n, bytes.length);
    }

    private static RSAPrivateKey privateKey() {
        try {
            List<RSAPrivateKey> keys = Unsealer.parseKeys(
                    java.nio.file.Files.readString(SealTestSupport.k3dKeyFile()), "k3d key");
            return keys.get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
