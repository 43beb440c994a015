package io.homestack.bundle.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI content descriptor: what a manifest or index says about a blob.
 *
 * @param artifactType may be null (only index entries and artifact manifests carry one)
 * @param annotations  never null; sorted, unmodifiable
 */
public record Descriptor(String mediaType, String digest, long size, String artifactType, Map<String, String> annotations) {

    /** The OCI 1.1 empty descriptor: the bytes {@code {}}. */
    public static final Descriptor EMPTY_JSON = new Descriptor(MediaTypes.EMPTY_JSON,
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 2, null, null);
    static final byte[] EMPTY_JSON_BYTES = {'{', '}'};

    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Digests.requireSha256(digest);
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + digest);
        }
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    public static Descriptor of(String mediaType, String digest, long size) {
        return new Descriptor(mediaType, digest, size, null, null);
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, artifactType, newAnnotations);
    }

    public Descriptor withArtifactType(String newArtifactType) {
        return new Descriptor(mediaType, digest, size, newArtifactType, annotations);
    }

    /** The annotation's value, or null. */
    public String annotation(String key) {
        return annotations.get(key);
    }

    ObjectNode toJson() {
        ObjectNode node = CanonicalJson.mapper().createObjectNode();
        node.put("mediaType", mediaType);
        node.put("digest", digest);
        node.put("size", size);
        if (artifactType != null) {
            node.put("artifactType", artifactType);
        }
        if (!annotations.isEmpty()) {
            ObjectNode a = node.putObject("annotations");
            annotations.forEach(a::put);
        }
        return node;
    }

    /** @param where names the document for the error message */
    static Descriptor fromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + " is not a descriptor object");
        }
        String mediaType = text(node, "mediaType", where);
        String digest = text(node, "digest", where);
        if (!Digests.isSha256(digest)) {
            throw new IllegalArgumentException(where + " has digest '" + digest + "'; only sha256 is supported");
        }
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber()) {
            throw new IllegalArgumentException(where + " has no integer size");
        }
        JsonNode artifactType = node.get("artifactType");
        return new Descriptor(mediaType, digest, size.longValue(),
                artifactType == null ? null : artifactType.asText(), stringMap(node.get("annotations"), where));
    }

    static Map<String, String> stringMap(JsonNode node, String where) {
        Map<String, String> map = new TreeMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " has annotations that are not an object");
        }
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + " has no string field '" + field + "'");
        }
        return value.textValue();
    }
}
