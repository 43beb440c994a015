package io.homestack.bundle.sbom;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.Descriptor;
import io.homestack.bundle.oci.Digests;
import io.homestack.bundle.oci.OciLayout;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The Java libraries of an image Jib built: the jars under {@code app/libs/} in its layers, each with the Maven
 * coordinates of its {@code META-INF/maven/<group>/<artifact>/pom.properties} (the one whose artifactId starts the
 * file name, when a jar carries several) and the SHA-256 of the jar; none when a jar has no pom.properties.
 */
final class ImageLibraries {

    /** A jar in the image; group, artifact and version are null when the jar does not say them. */
    record Library(String file, String sha256, String group, String artifact, String version) {
    }

    private static final String LIBS = "app/libs/";
    /** Bigger than any library we ship; a guard against a layer that is not Jib's. */
    private static final long MAX_JAR_BYTES = 64L * 1024 * 1024;

    private ImageLibraries() {
    }

    static List<Library> read(OciLayout image) {
        List<Library> libraries = new ArrayList<>();
        for (Descriptor layer : image.manifest().layers()) {
            try (InputStream in = Files.newInputStream(image.blobPath(layer.digest()));
                 TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    String name = e.getName().replaceFirst("^\\.?/", "");
                    if (e.isFile() && name.startsWith(LIBS) && name.endsWith(".jar") && e.getSize() <= MAX_JAR_BYTES) {
                        libraries.add(library(name.substring(LIBS.length()), tar.readAllBytes()));
                    }
                }
            } catch (IOException e) {
                throw new BundleException(image.dir() + ": cannot read layer " + layer.digest() + ": " + e.getMessage(), e);
            }
        }
        return libraries;
    }

    private static Library library(String file, byte[] jar) throws IOException {
        Properties chosen = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    p.load(new ByteArrayInputStream(zip.readAllBytes()));
                    if (chosen == null || file.startsWith(p.getProperty("artifactId", "") + "-")) {
                        chosen = p;
                    }
                }
            }
        }
        String hex = Digests.sha256(jar).substring("sha256:".length());
        return chosen == null ? new Library(file, hex, null, null, null)
                : new Library(file, hex, chosen.getProperty("groupId"), chosen.getProperty("artifactId"),
                chosen.getProperty("version"));
    }
}
