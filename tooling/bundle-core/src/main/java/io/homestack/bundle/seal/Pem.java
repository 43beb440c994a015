package io.homestack.bundle.seal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PEM for keys and certificates: find the blocks, and turn PKCS#1 RSA keys into PKCS#8. */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** rsaEncryption AlgorithmIdentifier: SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }. */
    private static final byte[] RSA_ALGORITHM_ID = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };

    record Block(String type, byte[] der, boolean encrypted) {
    }

    private Pem() {
    }

    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            // Legacy OpenSSL encryption puts "Proc-Type: 4,ENCRYPTED" headers before the base64.
            boolean encrypted = m.group(1).startsWith("ENCRYPTED")
                    || body.lines().anyMatch(l -> l.startsWith("Proc-Type:") && l.contains("ENCRYPTED"));
            String base64 = body.lines().filter(l -> !l.contains(":")).reduce("", String::concat).strip();
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                der = new byte[0];
            }
            blocks.add(new Block(m.group(1), der, encrypted));
        }
        return blocks;
    }

    /** Wraps a PKCS#1 RSAPrivateKey (what {@code openssl genrsa -traditional} and the controller write) in PKCS#8. */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
        body.writeBytes(RSA_ALGORITHM_ID);
        body.writeBytes(derHeader(0x04, pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(derHeader(0x30, body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        byte[] header = new byte[2 + bytes];
        header[0] = (byte) tag;
        header[1] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            header[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
        }
        return header;
    }
}
