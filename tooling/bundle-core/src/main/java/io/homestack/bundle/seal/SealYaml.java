package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads one Kubernetes object from YAML and writes one back, in the style kubectl users expect. */
public final class SealYaml {

    private SealYaml() {
    }

    public static Map<String, Object> readFile(Path file) {
        try {
            return read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new BundleException("File not found: " + file);
        } catch (IOException e) {
            throw new BundleException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses exactly one YAML (or JSON) object; {@code source} names the input in errors. */
    public static Map<String, Object> read(String yaml, String source) {
        List<Map<String, Object>> documents = Yaml.readAll(yaml, source);
        if (documents.size() != 1) {
            throw new BundleException(source + ": expected exactly one Kubernetes object, found " + documents.size());
        }
        return documents.get(0);
    }

    public static String write(Map<String, Object> object) {
        return Yaml.write(object);
    }
}
