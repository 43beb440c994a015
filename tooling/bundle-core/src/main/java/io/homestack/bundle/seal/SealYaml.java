package io.homestack.bundle.seal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.homestack.bundle.BundleException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads one Kubernetes object from YAML and writes one back, in the style kubectl users expect. */
public final class SealYaml {

    private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            // Minimal quotes, but "true" and "123" must stay strings (annotations, labels).
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            // Ciphertexts are long; folded lines are valid YAML but unreadable in diffs.
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

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
        List<Map<String, Object>> documents = new ArrayList<>();
        try (MappingIterator<Object> it = MAPPER.readerFor(Object.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                Object doc = it.nextValue();
                if (doc == null) {
                    continue; // an empty document between "---" separators
                }
                if (!(doc instanceof Map)) {
                    throw new BundleException(source + ": expected a Kubernetes object, found a YAML "
                            + (doc instanceof List ? "list" : "scalar"));
                }
                documents.add(MAPPER.convertValue(doc, OBJECT));
            }
        } catch (IOException e) {
            throw new BundleException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (documents.size() != 1) {
            throw new BundleException(source + ": expected exactly one Kubernetes object, found " + documents.size());
        }
        return documents.get(0);
    }

    public static String write(Map<String, Object> object) {
        try {
            return MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write YAML: " + e.getMessage(), e);
        }
    }
}
