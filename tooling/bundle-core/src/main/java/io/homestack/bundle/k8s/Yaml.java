package io.homestack.bundle.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.homestack.bundle.BundleException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multi-document YAML in and out, with one fixed output style so rendered files are stable byte for byte.
 *
 * <p>Reading is bounded ({@link #MAX_CHARS}, {@link #MAX_DEPTH}) so hostile input fails fast with a named file, and
 * strict where tools disagree: duplicate keys, aliases ({@code *name}) and merge keys ({@code <<}) are errors, because
 * Jackson reads an alias as its name and a merge key as a plain key while Helm and Argo CD resolve both, so the
 * object checked here would not be the object deployed. Errors never quote the input or the parser's internals.
 */
public final class Yaml {

    /** The most YAML one read accepts: far above any bundle's render, far below what stalls the parser. */
    public static final int MAX_CHARS = 16 * 1024 * 1024;
    /** Deepest nesting of mappings and lists; CRD schemas need about 30. */
    public static final int MAX_DEPTH = 100;

    private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_CHARS).maxDocumentLength(MAX_CHARS).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
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

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CHARS);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setMaxAliasesForCollections(0);
        options.setAllowDuplicateKeys(false);
        return options;
    }

    /** The mapper: bounded and strict for reading (see the class comment), fixed style for writing. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Every non-empty document of a YAML stream as a map; {@code source} names the input in errors. */
    public static List<Map<String, Object>> readAll(String yaml, String source) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : readDocuments(yaml, source)) {
            if (!(doc instanceof Map<?, ?>)) {
                throw new BundleException(source + ": a YAML document is not a mapping (an object was expected)");
            }
            docs.add(KubeObject.map(doc));
        }
        return docs;
    }

    /** Every non-empty document of a YAML stream, whatever it holds: maps, lists, scalars. */
    public static List<Object> readDocuments(String yaml, String source) {
        check(yaml, source);
        List<Object> docs = new ArrayList<>();
        try (MappingIterator<Object> it = MAPPER.readerFor(Object.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                Object doc = it.nextValue();
                if (doc != null && !"".equals(doc)) { // not an empty document
                    docs.add(doc);
                }
            }
        } catch (JsonProcessingException e) {
            throw new BundleException(describe(source, e), e);
        } catch (IOException e) {
            throw new BundleException(source + ": cannot read: " + e.getMessage(), e);
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

    /**
     * Checks a YAML stream without building it: size, syntax, nesting, duplicate keys, and no aliases or merge keys.
     *
     * @throws BundleException naming {@code source}, the line and column, and the problem
     */
    public static void check(String yaml, String source) {
        if (yaml.length() > MAX_CHARS) {
            throw new BundleException(source + ": " + yaml.length() / (1024 * 1024) + " MiB of YAML is more than the "
                    + MAX_CHARS / (1024 * 1024) + " MiB homestack reads at once; split it or leave it out");
        }
        try (JsonParser parser = MAPPER.getFactory().createParser(yaml)) {
            for (JsonToken token; (token = nextToken(parser)) != null; ) {
                if (parser instanceof YAMLParser y && y.isCurrentAlias()) {
                    throw new BundleException(at(source, parser) + "aliases (*name) are not supported: tools"
                            + " disagree on them; write the value out");
                }
                if (token == JsonToken.FIELD_NAME && "<<".equals(parser.currentName())) {
                    throw new BundleException(at(source, parser) + "merge keys (<<) are not supported: tools"
                            + " disagree on them; write the keys out");
                }
            }
        } catch (JsonProcessingException e) {
            throw new BundleException(describe(source, e), e);
        } catch (IOException e) {
            throw new BundleException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Like {@link JsonParser#nextToken()}, past the end of one document into the next. */
    private static JsonToken nextToken(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        return token != null || parser.isClosed() ? token : parser.nextToken();
    }

    private static String at(String source, JsonParser parser) {
        var location = parser.currentTokenLocation();
        return source + " line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    }

    /**
     * A parse error as a user reads it: the file, where the problem is, and what it is, without quoting the input
     * (the file may not be what its name says) or naming parser classes and tokens.
     */
    public static String describe(String source, JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m) {
                return describe(source, m);
            }
            if (t instanceof org.yaml.snakeyaml.error.YAMLException y && y.getMessage() != null
                    && y.getMessage().contains("exceeds the limit")) {
                return source + ": the YAML document is larger than " + MAX_CHARS / (1024 * 1024) + " MiB";
            }
        }
        var location = e.getLocation();
        String where = location == null || location.getLineNr() < 1 ? source
                : source + " line " + location.getLineNr() + ", column " + location.getColumnNr();
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.startsWith("Duplicate field")) {
            return where + ": key " + message.substring("Duplicate field ".length()) + " appears twice in one mapping";
        }
        if (message.contains("nesting depth")) {
            return where + ": nested more than " + MAX_DEPTH + " levels deep";
        }
        if (message.contains("String value length") || message.contains("Document length")) {
            return where + ": larger than " + MAX_CHARS / (1024 * 1024) + " MiB";
        }
        return where + ": not valid YAML";
    }

    private static String describe(String source, MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        Mark mark = e.getProblemMark();
        // An unclosed quote or bracket is found at the end of the stream; the place to fix is where it opens.
        if (problem.contains("end of stream") && e.getContextMark() != null && e.getContext() != null) {
            mark = e.getContextMark();
            problem = e.getContext().replaceFirst("^while (scanning|parsing) ", "") + " starting here is never closed";
        } else if (problem.contains("<") || problem.contains("'?'") || problem.length() > 100) {
            // Token names (<block end>, <scalar>, '?') mean nothing to a user: the structure breaks here.
            problem = "the structure breaks here (check the indentation, a missing ':' or '-', or an unclosed bracket)";
        }
        String where = mark == null ? source : source + " line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        return where + ": not valid YAML: " + problem.replaceAll("\\s+", " ").strip();
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
