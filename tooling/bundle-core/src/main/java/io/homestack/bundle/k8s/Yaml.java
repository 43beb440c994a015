package io.homestack.bundle.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.homestack.bundle.BundleException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Multi-document YAML in and out, with one fixed output style so rendered files are stable byte for byte. */
public final class Yaml {

    private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            // Minimal quotes, but "true" and "123" must stay strings (annotations, labels, env values).
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            // Long values (ciphertexts, certificates) stay on one line: folded lines are valid but unreadable in diffs.
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            // `key:` with nothing after it is null in YAML (and to the API server), not "" (quoted "" stays "").
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .build())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Keys sorted, as kustomize prints them: the same object always gives the same bytes.
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Yaml() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Every non-empty document of a YAML stream as a map; {@code source} names the input in errors. */
    public static List<Map<String, Object>> readAll(String yaml, String source) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (MappingIterator<Object> it = MAPPER.readerFor(Object.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                Object doc = it.nextValue();
                if (doc == null) {
                    continue;
                }
                if (!(doc instanceof Map<?, ?>)) {
                    throw new BundleException(source + ": a YAML document is not a mapping (an object was expected)");
                }
                docs.add(KubeObject.map(doc));
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new BundleException(source + (line > 0 ? " line " + line : "") + ": not valid YAML: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BundleException(source + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof BundleException) {
                throw e;
            }
            throw new BundleException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    /** A single YAML mapping (e.g. a values file); empty input gives an empty map. */
    public static Map<String, Object> readMap(String yaml, String source) {
        List<Map<String, Object>> docs = readAll(yaml, source);
        if (docs.size() > 1) {
            throw new BundleException(source + ": expected one YAML document, found " + docs.size());
        }
        return docs.isEmpty() ? new java.util.LinkedHashMap<>() : docs.get(0);
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }

    public static <T> T convert(Object value, TypeReference<T> type) {
        return MAPPER.convertValue(value, type);
    }
}
