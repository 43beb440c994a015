package io.homestack.bundle.seal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Reads the two fields sealing needs — the subject public key and the end of validity — straight from a certificate's
 * DER. Used only when the JDK refuses a certificate that Go accepts: the sealed-secrets controller's default
 * certificate has an empty issuer, which {@code CertificateFactory} rejects ("Empty issuer DN not allowed").
 */
final class CertificateDer {

    /** @param spki the DER of SubjectPublicKeyInfo */
    record Fields(byte[] spki, Instant notAfter) {
    }

    private final byte[] der;
    private int pos;

    private CertificateDer(byte[] der) {
        this.der = der;
    }

    /**
     * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature,
     * issuer, validity SEQUENCE { notBefore, notAfter }, subject, subjectPublicKeyInfo, ... }, ... }
     *
     * @throws IllegalArgumentException when the bytes are not shaped like a certificate
     */
    static Fields read(byte[] der) {
        CertificateDer in = new CertificateDer(der);
        in.enter(0x30);                     // Certificate
        in.enter(0x30);                     // tbsCertificate
        if (in.peek() == 0xA0) {
            in.skip();                      // version
        }
        in.skip();                          // serialNumber
        in.skip();                          // signature algorithm
        in.skip();                          // issuer (the field the JDK refuses when empty)
        int validityEnd = in.enter(0x30);
        in.skip();                          // notBefore
        Instant notAfter = in.time();
        in.pos = validityEnd;
        in.skip();                          // subject
        int start = in.pos;
        in.skip();                          // subjectPublicKeyInfo
        return new Fields(Arrays.copyOfRange(der, start, in.pos), notAfter);
    }

    private int peek() {
        require(pos < der.length);
        return der[pos] & 0xFF;
    }

    /** Steps into a constructed element of the given tag; returns where its content ends. */
    private int enter(int tag) {
        require(peek() == tag);
        pos++;
        int length = length();
        return pos + length;
    }

    private void skip() {
        pos++;
        int length = length();
        pos += length;
        require(pos <= der.length);
    }

    private int length() {
        int first = der[pos++] & 0xFF;
        if (first < 0x80) {
            return first;
        }
        int bytes = first & 0x7F;
        require(bytes >= 1 && bytes <= 3);
        int length = 0;
        for (int i = 0; i < bytes; i++) {
            length = (length << 8) | (der[pos++] & 0xFF);
        }
        return length;
    }

    /** UTCTime (YYMMDDhhmmssZ, years 1950-2049) or GeneralizedTime (YYYYMMDDhhmmssZ). */
    private Instant time() {
        int tag = peek();
        pos++;
        int length = length();
        String text = new String(der, pos, length, java.nio.charset.StandardCharsets.US_ASCII);
        pos += length;
        require(text.endsWith("Z") && (tag == 0x17 || tag == 0x18));
        String digits = text.substring(0, text.length() - 1);
        if (tag == 0x17) {
            int yy = Integer.parseInt(digits.substring(0, 2));
            digits = (yy < 50 ? "20" : "19") + digits;
        }
        return LocalDateTime.parse(digits, DateTimeFormatter.ofPattern("yyyyMMddHHmmss")).toInstant(ZoneOffset.UTC);
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException("not a DER X.509 certificate");
        }
    }
}
