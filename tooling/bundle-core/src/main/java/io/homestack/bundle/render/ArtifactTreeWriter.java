package io.homestack.bundle.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes an artifact tree (a bundle's or a release's): metadata JSON files under {@code .homestack/} and one directory
 * per environment holding one object per file, named {@code <kind>-<name>.yaml} (plus the namespace when two objects
 * would share a name). The tree is built beside the target and moved into place, so a failed build never leaves half
 * a tree.
 */
public final class ArtifactTreeWriter {

    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public void write(RenderedBundle rendered, BundleMetadata metadata, Path target) {
        write(rendered.bundle().name(), Map.of(BundleMetadata.PATH, metadata), rendered.environments(), target);
    }

    /**
     * @param jsonFiles   relative path to the object written there as JSON
     * @param directories directory name (an environment) to the objects it holds
     */
    public void write(String name, Map<String, Object> jsonFiles, Map<String, List<KubeObject>> directories, Path target) {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            delete(temp);
            Files.createDirectories(temp);
            for (var json : jsonFiles.entrySet()) {
                Path file = temp.resolve(json.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, JSON.writeValueAsString(json.getValue()) + "\n");
            }
            for (var env : directories.entrySet()) {
                Path dir = Files.createDirectories(temp.resolve(env.getKey()));
                writeObjects(env.getValue(), dir);
            }
            delete(target);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BundleException("[" + name + "] cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                delete(temp);
            } catch (IOException ignored) {
                // best effort: the next build deletes it first
            }
        }
    }

    private static void writeObjects(List<KubeObject> objects, Path dir) throws IOException {
        Set<String> plain = new HashSet<>();
        Set<String> clashing = new HashSet<>();
        for (KubeObject o : objects) {
            if (!plain.add(plainName(o))) {
                clashing.add(plainName(o));
            }
        }
        for (KubeObject o : objects) {
            String name = plainName(o);
            if (clashing.contains(name)) {
                name = o.kind().toLowerCase(Locale.ROOT) + "-" + (o.namespace() == null ? "cluster" : o.namespace())
                        + "-" + o.name();
            }
            Files.writeString(dir.resolve(name + ".yaml"), Yaml.write(o.body()));
        }
    }

    private static String plainName(KubeObject o) {
        return o.kind().toLowerCase(Locale.ROOT) + "-" + o.name();
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
