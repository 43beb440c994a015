package io.homestack.bundle.oci;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Image tarballs shaped like Jib's OCI buildTar output: oci-layout, index.json, blobs (config, two layers). */
public final class TestImages {

    public static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{"
            + "\"io.homestack.base.packages\":\"libc6=2.36-9+deb12u14,zlib1g=1:1.2.13.dfsg-1\","
            + "\"org.opencontainers.image.title\":\"demo\",\"org.opencontainers.image.version\":\"0.1.0\"}},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";

    private TestImages() {
    }

    /** @param extra more entries (name → content), to break the tarball */
    public static Path write(Path tarball, String configMediaType, Map<String, String> extra) throws IOException {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        byte[] config = CONFIG.getBytes(StandardCharsets.UTF_8);
        byte[] base = layer(Map.of("usr/lib/libc.so.6", "elf".getBytes(StandardCharsets.UTF_8)));
        byte[] app = layer(Map.of("app/libs/demo-lib-1.2.3.jar", jar("META-INF/maven/org.example/demo-lib/pom.properties",
                "groupId=org.example\nartifactId=demo-lib\nversion=1.2.3\n"),
                "app/libs/plain.jar", jar("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor(configMediaType, config) + ",\"layers\":[" + descriptor(MediaTypes.LAYER_TAR_GZIP, base) + ","
                + descriptor(MediaTypes.LAYER_TAR_GZIP, app) + "]}";
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        for (byte[] blob : new byte[][] {config, base, app, manifestBytes}) {
            blobs.put("blobs/sha256/" + Digests.hex(Digests.sha256(blob)), blob);
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        entries.put("index.json", ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + descriptor(MediaTypes.OCI_MANIFEST, manifestBytes).replace("}", ",\"annotations\":{"
                + "\"org.opencontainers.image.ref.name\":\"homestack/demo:0.1.0\"}}") + "]}").getBytes(StandardCharsets.UTF_8));
        entries.putAll(blobs);
        extra.forEach((name, content) -> entries.put(name, content.getBytes(StandardCharsets.UTF_8)));
        try (OutputStream out = Files.newOutputStream(tarball); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return tarball;
    }

    /** A gzipped tar of these files, as a layer. */
    static byte[] layer(Map<String, byte[]> files) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> f : new java.util.TreeMap<>(files).entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
                entry.setModTime(0); // the same bytes, so the same digests, on every run
                entry.setSize(f.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A jar holding one file. */
    static byte[] jar(String name, String content) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String descriptor(String mediaType, byte[] blob) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digests.sha256(blob) + "\",\"size\":" + blob.length + "}";
    }
}
