package io.homestack.bundle.k8s;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Kubernetes object as plain YAML data, with the file it came from (relative to the bundle) for messages.
 * The body is kept as maps and lists: homestack renders and checks objects of any kind, including CRDs.
 */
public record KubeObject(Map<String, Object> body, String source) {

    public String apiVersion() {
        return string(body.get("apiVersion"));
    }

    public String kind() {
        return string(body.get("kind"));
    }

    public String name() {
        return string(metadata().get("name"));
    }

    public String namespace() {
        return string(metadata().get("namespace"));
    }

    /** The API group, "" for the core group. */
    public String group() {
        String v = apiVersion();
        return v == null || !v.contains("/") ? "" : v.substring(0, v.indexOf('/'));
    }

    public Map<String, Object> metadata() {
        return map(body.get("metadata"));
    }

    public Map<String, Object> annotations() {
        return map(metadata().get("annotations"));
    }

    public Map<String, Object> labels() {
        return map(metadata().get("labels"));
    }

    /** "Kind namespace/name" or "Kind name": how objects are named in every message. */
    public String describe() {
        String ns = namespace();
        return kind() + " " + (ns == null ? "" : ns + "/") + name();
    }

    /** Identity for duplicate detection: group, kind, namespace, name. */
    public String key() {
        return group() + "/" + kind() + "/" + (namespace() == null ? "" : namespace()) + "/" + name();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    public static String string(Object value) {
        return value == null ? null : value.toString();
    }

    /** Follows a path of map keys; missing steps give an empty map. */
    public static Map<String, Object> path(Map<String, Object> from, String... keys) {
        Map<String, Object> at = from;
        for (String key : keys) {
            at = map(at.get(key));
        }
        return at;
    }

    /** A deep, mutable copy, so renderers can edit without touching shared input. */
    @SuppressWarnings("unchecked")
    public static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> l) {
            return new java.util.ArrayList<>(l.stream().map(KubeObject::deepCopy).toList());
        }
        return value;
    }
}
