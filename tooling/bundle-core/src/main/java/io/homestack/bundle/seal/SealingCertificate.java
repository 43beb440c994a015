package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The public half of a sealed-secrets controller key: a PEM X.509 certificate (what
 * {@code kubeseal --fetch-cert} writes) or a bare PEM public key. Only RSA keys seal.
 */
public final class SealingCertificate {

    private final RSAPublicKey publicKey;
    private final X509Certificate certificate;
    private final String origin;

    private SealingCertificate(RSAPublicKey publicKey, X509Certificate certificate, String origin) {
        this.publicKey = publicKey;
        this.certificate = certificate;
        this.origin = origin;
    }

    /** Loads a certificate file; a missing, unreadable, non-RSA or expired one is a {@link BundleException}. */
    public static SealingCertificate load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new BundleException("Sealing certificate not found: " + file);
        } catch (IOException e) {
            throw new BundleException("Cannot read sealing certificate " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString(), Instant.now());
    }

    /** Parses PEM text; {@code origin} names it in errors. Expiry is judged at {@code now}, as kubeseal does. */
    public static SealingCertificate parse(String pem, String origin, Instant now) {
        List<Pem.Block> blocks = Pem.blocks(pem);
        for (Pem.Block block : blocks) {
            switch (block.type()) {
                case "CERTIFICATE":
                    return fromCertificate(block.der(), origin, now);
                case "PUBLIC KEY":
                    return new SealingCertificate(rsa(publicKey(block.der(), origin), origin), null, origin);
                default:
                    // keep looking: a bundle file may start with something else
            }
        }
        throw new BundleException("Sealing certificate " + origin + " holds no PEM CERTIFICATE or PUBLIC KEY"
                + (blocks.isEmpty() ? "" : " (found " + blocks.stream().map(Pem.Block::type).toList() + ")"));
    }

    private static SealingCertificate fromCertificate(byte[] der, String origin, Instant now) {
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            return fromFields(der, origin, now, e);
        }
        checkNotExpired(cert.getNotAfter().toInstant(), origin, now);
        return new SealingCertificate(rsa(cert.getPublicKey(), origin), cert, origin);
    }

    /** The controller's own certificates have an empty issuer, which Go accepts and the JDK does not. */
    private static SealingCertificate fromFields(byte[] der, String origin, Instant now, GeneralSecurityException jdk) {
        CertificateDer.Fields fields;
        try {
            fields = CertificateDer.read(der);
        } catch (RuntimeException e) {
            throw new BundleException("Sealing certificate " + origin + " is not a valid X.509 certificate: "
                    + jdk.getMessage(), jdk);
        }
        checkNotExpired(fields.notAfter(), origin, now);
        return new SealingCertificate(rsa(publicKey(fields.spki(), origin), origin), null, origin);
    }

    // kubeseal refuses expired certificates; sealing with one here would only move the surprise later.
    private static void checkNotExpired(Instant notAfter, String origin, Instant now) {
        if (now.isAfter(notAfter)) {
            throw new BundleException("Sealing certificate " + origin + " expired on " + notAfter
                    + "; fetch the controller's current certificate");
        }
    }

    private static PublicKey publicKey(byte[] der, String origin) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new BundleException("Sealing certificate " + origin + " holds a PUBLIC KEY that is not an RSA key", e);
        }
    }

    private static RSAPublicKey rsa(PublicKey key, String origin) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa;
        }
        throw new BundleException("Sealing certificate " + origin + " has a " + key.getAlgorithm()
                + " key; sealed-secrets needs RSA");
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /** Empty when loaded from a bare public key or from a certificate the JDK cannot represent (empty issuer). */
    public Optional<X509Certificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    /** Where it came from (a path, usually), for messages. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return certificate == null
                ? "RSA public key from " + origin
                : certificate.getSubjectX500Principal().getName() + " (until " + certificate.getNotAfter().toInstant()
                        + ") from " + origin;
    }
}
