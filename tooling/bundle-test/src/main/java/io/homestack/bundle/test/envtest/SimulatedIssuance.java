package io.homestack.bundle.test.envtest;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The X.509 part of the cert-manager simulation: key pairs and certificates as cert-manager's selfSigned and ca issuers
 * make them (subject, DNS names, isCA, duration, key algorithm of the Certificate's spec), PEM encoded as cert-manager
 * stores them (PKCS#1 / SEC1 keys). Real certificates: a client can verify them against the CA.
 */
final class SimulatedIssuance {

    /** cert-manager's default duration (90 days) and renewal point (a third of the duration before the end). */
    static final Duration DEFAULT_DURATION = Duration.ofHours(2160);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|m|s|ms)");

    /** What the Certificate asks for. */
    record Request(String commonName, List<String> organizations, List<String> dnsNames, List<String> ipAddresses,
                   boolean isCA, Duration duration, String keyAlgorithm, int keySize) {
    }

    /** An issued certificate with its key, and the CA certificate that signed it (itself when self-signed). */
    record Issued(X509Certificate certificate, KeyPair keyPair, X509Certificate ca) {

        String certificatePem() {
            return pem(certificate);
        }

        /** PKCS#1 for RSA, SEC1 (with curve and public key, as openssl writes it) for ECDSA: cert-manager's default. */
        String keyPem() {
            if (!(keyPair.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec)) {
                return pem(keyPair.getPrivate());
            }
            try {
                var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(ec.getEncoded());
                var sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
                var publicKey = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
                var full = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), sec1.getKey(),
                        publicKey.getPublicKeyData(), info.getPrivateKeyAlgorithm().getParameters());
                return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", full.getEncoded()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String caPem() {
            return pem(ca);
        }
    }

    /** A CA certificate and its key, as a ca issuer's Secret holds them. */
    record Signer(X509Certificate certificate, PrivateKey key) {
    }

    private SimulatedIssuance() {
    }

    static Issued selfSigned(Request request) {
        KeyPair keys = keyPair(request.keyAlgorithm(), request.keySize());
        X509Certificate cert = sign(request, keys, new Signer(null, keys.getPrivate()));
        return new Issued(cert, keys, cert);
    }

    static Issued signedBy(Signer ca, Request request) {
        KeyPair keys = keyPair(request.keyAlgorithm(), request.keySize());
        return new Issued(sign(request, keys, ca), keys, ca.certificate());
    }

    /** A ca issuer's Secret: tls.crt and tls.key (PEM); an error message naming what is wrong. */
    static Signer signer(String certificatePem, String keyPem) {
        try (PEMParser certs = new PEMParser(new StringReader(certificatePem));
             PEMParser keys = new PEMParser(new StringReader(keyPem))) {
            Object cert = certs.readObject();
            Object key = keys.readObject();
            if (!(cert instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("tls.crt holds no PEM certificate");
            }
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey privateKey;
            if (key instanceof PEMKeyPair pair) {
                privateKey = converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 keys may omit the public key
            } else if (key instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                privateKey = converter.getPrivateKey(info);
            } else {
                throw new IllegalArgumentException("tls.key holds no PEM private key");
            }
            return new Signer(new JcaX509CertificateConverter().getCertificate(holder), privateKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA key pair: " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(Request request, KeyPair subjectKeys, Signer issuer) {
        try {
            Instant now = Instant.now();
            X500Name subject = subject(request);
            X500Name issuerName = issuer.certificate() == null ? subject
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(127, RANDOM), Date.from(now), Date.from(now.plus(request.duration())), subject,
                    subjectKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (issuer.certificate() != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(issuer.certificate()));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(request.isCA()));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(request.isCA()
                    ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (!request.isCA()) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            }
            List<GeneralName> names = new ArrayList<>();
            request.dnsNames().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
            request.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            String algorithm = issuer.key().getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(issuer.key())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a certificate for " + request + ": " + e.getMessage(), e);
        }
    }

    private static X500Name subject(Request request) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        request.organizations().forEach(o -> name.addRDN(BCStyle.O, o));
        if (request.commonName() != null && !request.commonName().isEmpty()) {
            name.addRDN(BCStyle.CN, request.commonName());
        }
        return name.build();
    }

    /** RSA (cert-manager's default, 2048 bits) or ECDSA (P-256 default, P-384, P-521); anything else is refused. */
    static KeyPair keyPair(String algorithm, int size) {
        try {
            String a = algorithm == null || algorithm.isEmpty() ? "RSA" : algorithm;
            if ("RSA".equals(a)) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(size == 0 ? 2048 : size, RANDOM);
                return g.generateKeyPair();
            }
            if ("ECDSA".equals(a)) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(switch (size) {
                    case 0, 256 -> "secp256r1";
                    case 384 -> "secp384r1";
                    case 521 -> "secp521r1";
                    default -> throw new IllegalArgumentException("ECDSA key size " + size + " is not one of 256, 384, 521");
                }), RANDOM);
                return g.generateKeyPair();
            }
            throw new IllegalArgumentException("private key algorithm " + a + " is not simulated (RSA and ECDSA are)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Go duration as cert-manager's API takes it ("2160h", "1h30m", "90s"). */
    static Duration goDuration(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_DURATION;
        }
        Matcher m = GO_DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            long millis = (long) (n * switch (m.group(2)) {
                case "h" -> 3_600_000L;
                case "m" -> 60_000L;
                case "s" -> 1_000L;
                default -> 1L;
            });
            total = total.plusMillis(millis);
            end = m.end();
        }
        if (end != text.length() || end == 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration (e.g. 2160h, 1h30m)");
        }
        return total;
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
