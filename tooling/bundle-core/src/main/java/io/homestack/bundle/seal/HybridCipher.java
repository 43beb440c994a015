package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;

/**
 * The sealed-secrets ciphertext format, written from upstream's description of HybridEncrypt:
 * <pre>
 *   uint16 big-endian length of the RSA ciphertext || RSA-OAEP(SHA-256, label)(session key) || AES-256-GCM(plaintext)
 * </pre>
 * The 32-byte session key is fresh for every value, which is why GCM may use an all-zero nonce.
 * GCM's 16-byte tag is appended to its ciphertext (Java and Go agree on that layout).
 */
public final class HybridCipher {

    private static final int SESSION_KEY_BYTES = 32;
    private static final int GCM_NONCE_BYTES = 12;
    private static final int GCM_TAG_BITS = 128;

    private HybridCipher() {
    }

    public static byte[] encrypt(RSAPublicKey publicKey, byte[] plaintext, byte[] label, SecureRandom random) {
        byte[] sessionKey = new byte[SESSION_KEY_BYTES];
        random.nextBytes(sessionKey);
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(Cipher.ENCRYPT_MODE, publicKey, oaep(label), random);
            byte[] wrappedKey = rsa.doFinal(sessionKey);

            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"),
                    new GCMParameterSpec(GCM_TAG_BITS, new byte[GCM_NONCE_BYTES]));
            byte[] sealed = aes.doFinal(plaintext);

            return ByteBuffer.allocate(2 + wrappedKey.length + sealed.length)
                    .putShort((short) wrappedKey.length)
                    .put(wrappedKey)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot do RSA-OAEP/AES-GCM: " + e.getMessage(), e);
        } finally {
            Arrays.fill(sessionKey, (byte) 0);
        }
    }

    /**
     * Decrypts one value. Throws {@link WrongKeyOrLabelException} when this key or label does not fit,
     * and {@link BundleException} when the bytes are not in the format at all.
     */
    public static byte[] decrypt(RSAPrivateKey privateKey, byte[] ciphertext, byte[] label) {
        if (ciphertext.length < 2) {
            throw new BundleException("Sealed value is too short (" + ciphertext.length + " bytes)");
        }
        int wrappedKeyLength = ((ciphertext[0] & 0xff) << 8) | (ciphertext[1] & 0xff);
        if (ciphertext.length < 2 + wrappedKeyLength) {
            throw new BundleException("Sealed value is too short: it announces a " + wrappedKeyLength
                    + "-byte RSA block but has only " + (ciphertext.length - 2) + " bytes after the length");
        }
        byte[] sessionKey = null;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(Cipher.DECRYPT_MODE, privateKey, oaep(label));
            sessionKey = rsa.doFinal(ciphertext, 2, wrappedKeyLength);

            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(sessionKey, "AES"),
                    new GCMParameterSpec(GCM_TAG_BITS, new byte[GCM_NONCE_BYTES]));
            int offset = 2 + wrappedKeyLength;
            return aes.doFinal(ciphertext, offset, ciphertext.length - offset);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException
                 | java.security.InvalidKeyException e) {
            // A wrong label or a wrong key both surface as an OAEP padding failure;
            // a tampered AES part as a bad GCM tag (AEADBadTagException is a BadPaddingException).
            throw new WrongKeyOrLabelException(e instanceof AEADBadTagException
                    ? "the AES-GCM part fails authentication (tampered or truncated)"
                    : "the RSA-OAEP part does not open with this key and label", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot do RSA-OAEP/AES-GCM: " + e.getMessage(), e);
        } finally {
            if (sessionKey != null) {
                Arrays.fill(sessionKey, (byte) 0);
            }
        }
    }

    /** SHA-256 for both the OAEP digest and MGF1, as Go's rsa.EncryptOAEP does (Java's default MGF1 is SHA-1). */
    private static OAEPParameterSpec oaep(byte[] label) {
        return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(label));
    }

    /** This key, or this scope's label, does not open the value. Expected when trying several keys. */
    public static final class WrongKeyOrLabelException extends RuntimeException {
        WrongKeyOrLabelException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
