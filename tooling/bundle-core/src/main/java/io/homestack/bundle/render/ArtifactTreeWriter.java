package io.homestack.bundle.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes an artifact tree (a bundle's or a release's): metadata JSON files under {@code .homestack/} and one directory
 * per environment holding one object per file, named {@code <kind>-<name>.yaml} (plus the namespace when two objects
 * would share a name). The tree is built beside the target and moved into place, so a failed build never leaves half
 * a tree.
 */
public final class ArtifactTreeWriter {

    private static final String MARKER = ".homestack";

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
        // .homestack/ marks the directory as ours: anything else is never replaced.
        AtomicDirectory.replace(target, MARKER, "[" + name + "] artifact tree", temp -> {
            Files.createDirectories(temp.resolve(MARKER));
            for (var json : jsonFiles.entrySet()) {
                Path file = temp.resolve(json.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, JSON.writeValueAsString(json.getValue()) + "\n");
            }
            for (var env : directories.entrySet()) {
                try {
                    writeObjects(env.getValue(), Files.createDirectories(temp.resolve(env.getKey())));
                } catch (BundleException e) {
                    throw new BundleException("[" + name + "] " + e.getMessage() + " (" + env.getKey() + ")", e);
                }
            }
            return null;
        });
    }

    private static void writeObjects(List<KubeObject> objects, Path dir) throws IOException {
        List<String> names = ObjectFiles.names(objects);
        for (int i = 0; i < objects.size(); i++) {
            Files.writeString(dir.resolve(names.get(i)), Yaml.write(objects.get(i).body()));
        }
    }
}
