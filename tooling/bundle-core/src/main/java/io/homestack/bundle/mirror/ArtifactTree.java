package io.homestack.bundle.mirror;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.oci.Annotations;
import io.homestack.bundle.oci.ArtifactSpec;
import io.homestack.bundle.oci.OciArtifact;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.OciLayoutWriter;
import io.homestack.bundle.render.ArtifactTreeWriter;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A bundle or release artifact unpacked for editing, and packed again in the same format with the same annotations and
 * the same timestamp as the original, so the relocated artifact depends only on the original and the edits.
 *
 * @param mtime the original layer's entry time (every entry has project.build.outputTimestamp)
 */
record ArtifactTree(Path dir, OciLayout original, Instant mtime) {

    static ArtifactTree unpack(OciLayout layout, Path dir) {
        Instant mtime = Instant.EPOCH;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(layout.layerFile()));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            Path root = Files.createDirectories(dir).toRealPath();
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root) || name.startsWith("/")) {
                    throw new BundleException(layout.dir() + ": the layer has an entry outside its tree: " + name);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                } else {
                    throw new BundleException(layout.dir() + ": the layer has " + name + ", which is not a file or"
                            + " directory (homestack artifacts hold only those)");
                }
                mtime = e.getModTime().toInstant().isAfter(mtime) ? e.getModTime().toInstant() : mtime;
            }
        } catch (IOException e) {
            throw new BundleException("cannot unpack " + layout.layerFile() + ": " + e.getMessage(), e);
        }
        return new ArtifactTree(dir, layout, mtime);
    }

    /** The original's name, version, source, revision and description; the tag is the version. */
    OciArtifact pack(Path layoutDir) {
        Map<String, String> a = original.manifest().annotations();
        String name = a.get(Annotations.TITLE);
        String version = a.get(Annotations.VERSION);
        return OciLayoutWriter.write(dir, new ArtifactSpec(name, version, a.get(Annotations.SOURCE),
                a.get(Annotations.REVISION), a.get(Annotations.DESCRIPTION), original.tag()), mtime, layoutDir);
    }

    Map<String, Object> readJson(String path) {
        try {
            return KubeObject.map(ArtifactTreeWriter.JSON.readValue(dir.resolve(path).toFile(), Map.class));
        } catch (IOException e) {
            throw new BundleException(original.dir() + ": cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Written as the renderer writes it: sorted keys, indented, one newline at the end. */
    void writeJson(String path, Map<String, Object> json) {
        try {
            Files.writeString(dir.resolve(path), ArtifactTreeWriter.JSON.writeValueAsString(json) + "\n");
        } catch (IOException e) {
            throw new BundleException("cannot write " + dir.resolve(path) + ": " + e.getMessage(), e);
        }
    }

    /** The YAML files of one environment directory (one object each). */
    Stream<Path> objectFiles(String environment) {
        try (Stream<Path> files = Files.list(dir.resolve(environment))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        } catch (IOException e) {
            throw new BundleException(original.dir() + ": no directory " + environment + " in the artifact", e);
        }
    }

    static Map<String, Object> readObject(Path file) {
        try {
            var docs = Yaml.readAll(Files.readString(file), file.toString());
            return docs.size() == 1 ? docs.get(0) : null;
        } catch (IOException e) {
            throw new BundleException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new BundleException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    static void writeObject(Path file, Map<String, Object> body) {
        try {
            Files.writeString(file, Yaml.write(body));
        } catch (IOException e) {
            throw new BundleException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
