package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A v1 Secret reduced to what sealing needs and carries over: identity, type, labels, annotations,
 * immutability, and the values as bytes ({@code data} decoded from base64, {@code stringData} as UTF-8,
 * {@code stringData} winning on a shared key as it does in the API server). Server-managed metadata and
 * kubectl's last-applied annotation (a plaintext copy of the whole Secret) are dropped on the way in.
 */
public record SecretManifest(
        String name,
        String namespace,
        String type,
        Boolean immutable,
        Map<String, String> labels,
        Map<String, String> annotations,
        Map<String, byte[]> data) {

    /** Annotations that embed the full object, values included; they must never reach a SealedSecret. */
    static final List<String> LEAKING_ANNOTATIONS = List.of(
            "kubectl.kubernetes.io/last-applied-configuration",
            "kubecfg.ksonnet.io/last-applied-configuration");

    private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    public SecretManifest {
        labels = sortedCopy(labels);
        annotations = sortedCopy(annotations);
        data = sortedCopy(data);
    }

    /** A plain Opaque Secret, for sealing values that did not come from a file. */
    public static SecretManifest of(String namespace, String name, Map<String, byte[]> data) {
        return new SecretManifest(name, namespace, "Opaque", null, Map.of(), Map.of(), data);
    }

    public static SecretManifest readFile(Path file) {
        return fromObject(SealYaml.readFile(file), file.toString());
    }

    /**
     * Validates a parsed Kubernetes object as a Secret. {@code source} (usually the file) starts every
     * error message, followed by the object and what is wrong with it.
     */
    public static SecretManifest fromObject(Map<String, Object> object, String source) {
        Map<String, Object> metadata = map(object.get("metadata"), source, "metadata");
        Object kind = object.get("kind");
        String what = describe(kind, metadata);
        if (kind == null) {
            throw new BundleException(source + ": " + what + " has no kind; only a v1 Secret can be sealed");
        }
        if (!"Secret".equals(kind)) {
            throw new BundleException(source + ": " + what + " is a " + kind + ", not a Secret; only a v1 Secret can be sealed");
        }
        if (!"v1".equals(object.get("apiVersion"))) {
            throw new BundleException(source + ": " + what + " has apiVersion " + object.get("apiVersion")
                    + "; a Secret must be apiVersion v1");
        }
        String name = string(metadata.get("name"), source, what, "metadata.name");
        if (name == null || name.isEmpty()) {
            throw new BundleException(source + ": " + what + " has no metadata.name");
        }
        String namespace = string(metadata.get("namespace"), source, what, "metadata.namespace");

        Map<String, byte[]> values = new TreeMap<>();
        map(object.get("data"), source, what + " data").forEach((key, value) -> {
            String encoded = string(value, source, what, "data." + key);
            try {
                // Go's decoder (and so kubectl's) skips line breaks, which YAML block scalars produce.
                values.put(checkKey(key, source, what), Base64.getDecoder().decode(
                        encoded == null ? "" : encoded.replaceAll("[\r\n]", "")));
            } catch (IllegalArgumentException e) {
                throw new BundleException(source + ": " + what + ": data." + key
                        + " is not base64 (put plain text under stringData instead)");
            }
        });
        map(object.get("stringData"), source, what + " stringData").forEach((key, value) -> {
            String text = string(value, source, what, "stringData." + key);
            values.put(checkKey(key, source, what), (text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
        });
        if (values.isEmpty()) {
            throw new BundleException(source + ": " + what + " has no data and no stringData; nothing to seal");
        }

        Map<String, String> annotations = stringMap(metadata.get("annotations"), source, what, "metadata.annotations");
        LEAKING_ANNOTATIONS.forEach(annotations::remove);
        Object immutable = object.get("immutable");
        if (immutable != null && !(immutable instanceof Boolean)) {
            throw new BundleException(source + ": " + what + ": immutable must be true or false, not '" + immutable + "'");
        }
        return new SecretManifest(name, namespace, string(object.get("type"), source, what, "type"),
                (Boolean) immutable, stringMap(metadata.get("labels"), source, what, "metadata.labels"),
                annotations, values);
    }

    /** The Secret as a Kubernetes object, values base64-encoded under {@code data}. */
    public Map<String, Object> toObject() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", "v1");
        object.put("kind", "Secret");
        object.put("metadata", metadata());
        if (type != null) {
            object.put("type", type);
        }
        if (immutable != null) {
            object.put("immutable", immutable);
        }
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((key, value) -> encoded.put(key, Base64.getEncoder().encodeToString(value)));
        object.put("data", encoded);
        return object;
    }

    /** name, namespace, labels and annotations, omitting what is empty. */
    Map<String, Object> metadata() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        if (namespace != null && !namespace.isEmpty()) {
            metadata.put("namespace", namespace);
        }
        if (!labels.isEmpty()) {
            metadata.put("labels", labels);
        }
        if (!annotations.isEmpty()) {
            metadata.put("annotations", annotations);
        }
        return metadata;
    }

    /** "Secret media/db-credentials", for messages. */
    public String describe() {
        return "Secret " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + name;
    }

    public SecretManifest withAnnotations(Map<String, String> newAnnotations) {
        return new SecretManifest(name, namespace, type, immutable, labels, newAnnotations, data);
    }

    public SecretManifest withIdentity(String newNamespace, String newName) {
        return new SecretManifest(newName, newNamespace, type, immutable, labels, annotations, data);
    }

    public String stringValue(String key) {
        byte[] value = data.get(key);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return describe() + " with keys " + data.keySet(); // never the values
    }

    static String describe(Object kind, Map<String, Object> metadata) {
        Object name = metadata.get("name");
        Object namespace = metadata.get("namespace");
        return (kind == null ? "object" : kind) + " "
                + (namespace == null ? "" : namespace + "/") + (name == null ? "(unnamed)" : name);
    }

    static String checkKey(String key, String source, String what) {
        if (!DATA_KEY.matcher(key).matches() || key.length() > 253) {
            throw new BundleException(source + ": " + what + ": '" + key
                    + "' is not a valid Secret key (letters, digits, '-', '_', '.'; at most 253)");
        }
        return key;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String source, String what) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new BundleException(source + ": " + what + " must be a mapping, not '" + value + "'");
    }

    private static Map<String, String> stringMap(Object value, String source, String what, String field) {
        Map<String, String> result = new TreeMap<>();
        map(value, source, what + " " + field).forEach((k, v) -> result.put(k, string(v, source, what, field + "." + k)));
        return result;
    }

    private static String string(Object value, String source, String what, String field) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        // YAML turned an unquoted true/123 into a non-string; the API server would reject it too.
        throw new BundleException(source + ": " + what + ": " + field + " must be a string; quote the value '" + value + "'");
    }

    private static <V> Map<String, V> sortedCopy(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }
}
