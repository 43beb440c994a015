package io.homestack.bundle.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal POSIX tar writer (ustar headers, pax extended headers for long or non-ASCII names). Written here
 * rather than taken from a library so that every header byte is fixed by the arguments alone: general-purpose
 * writers stamp pax headers with the current time or user name, which breaks reproducibility.
 *
 * <p>Owner and group are always 0 with empty names; device numbers are zero.
 */
final class TarWriter {

    private static final int BLOCK = 512;
    private static final int NAME_LENGTH = 100;
    /** Largest value of an 11-digit octal field (size, mtime). */
    static final long MAX_OCTAL_11 = 077777777777L;

    private final OutputStream out;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    /** @param name relative path ending with {@code /} */
    void directory(String name, int mode, long mtime) throws IOException {
        header(name, '5', mode, 0, mtime);
    }

    /** Copies exactly {@code size} bytes of {@code content}; fails if it has fewer (the file changed under us). */
    void file(String name, int mode, long mtime, long size, InputStream content) throws IOException {
        header(name, '0', mode, size, mtime);
        byte[] buffer = new byte[64 * 1024];
        long remaining = size;
        while (remaining > 0) {
            int n = content.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new IOException(name + " became shorter while it was archived");
            }
            out.write(buffer, 0, n);
            remaining -= n;
        }
        pad(size);
    }

    /** The end-of-archive marker: two zero blocks. Does not close the stream. */
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
    }

    private void header(String name, char type, int mode, long size, long mtime) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        Map<String, String> pax = new TreeMap<>();
        if (nameBytes.length > NAME_LENGTH || nameBytes.length != name.length()) {
            pax.put("path", name);
        }
        if (size > MAX_OCTAL_11) {
            pax.put("size", Long.toString(size));
        }
        String headerName = pax.containsKey("path") ? asciiFallback(name, NAME_LENGTH) : name;
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            // Readers ignore the pax header's own name; a fixed one keeps the bytes stable.
            out.write(ustarHeader(asciiFallback("PaxHeaders/" + headerName, NAME_LENGTH), 'x', 0644, records.length, mtime));
            out.write(records);
            pad(records.length);
        }
        out.write(ustarHeader(headerName, type, mode, size > MAX_OCTAL_11 ? 0 : size, mtime));
    }

    private static byte[] ustarHeader(String name, char type, int mode, long size, long mtime) {
        byte[] h = new byte[BLOCK];
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0); // uid
        octal(h, 116, 8, 0); // gid
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        ascii(h, 257, "ustar\0");
        ascii(h, 263, "00");
        // uname, gname, devmajor, devminor and prefix stay zero-filled.
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long checksum = 0;
        for (byte b : h) {
            checksum += b & 0xff;
        }
        octal(h, 148, 7, checksum); // six digits and a NUL; the trailing space stays
        return h;
    }

    /** "%d key=value\n" where %d counts the whole record, its own digits included. */
    private static byte[] paxRecords(Map<String, String> entries) {
        StringBuilder records = new StringBuilder();
        entries.forEach((key, value) -> {
            int length = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
            int digits = Integer.toString(length).length();
            while (Integer.toString(length + digits).length() != digits) {
                digits++;
            }
            records.append(length + digits).append(' ').append(key).append('=').append(value).append('\n');
        });
        return records.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String asciiFallback(String name, int maxLength) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < maxLength; i++) {
            char c = name.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '_');
        }
        return b.toString();
    }

    private static void octal(byte[] h, int offset, int width, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > width - 1) {
            throw new IllegalArgumentException("value " + value + " does not fit a " + width + "-byte tar field");
        }
        ascii(h, offset, "0".repeat(width - 1 - digits.length()) + digits);
        h[offset + width - 1] = 0;
    }

    private static void ascii(byte[] h, int offset, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, h, offset, bytes.length);
    }

    private void pad(long size) throws IOException {
        int remainder = (int) (size % BLOCK);
        if (remainder != 0) {
            out.write(new byte[BLOCK - remainder]);
        }
    }
}
