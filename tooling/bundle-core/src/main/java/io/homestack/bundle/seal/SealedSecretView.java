package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a parsed SealedSecret that decide how it unseals. Like the controller, the label comes
 * from the SealedSecret's own metadata (name, namespace, scope annotations), not from its template.
 */
record SealedSecretView(String source, String name, String namespace, SealingScope scope,
                        Map<String, String> encryptedData, Map<String, Object> template) {

    @SuppressWarnings("unchecked")
    static SealedSecretView of(Map<String, Object> object, String source) {
        Map<String, Object> metadata = map(object.get("metadata"), source, "metadata");
        Object kind = object.get("kind");
        String what = SecretManifest.describe(kind, metadata);
        if (!SecretSealer.KIND.equals(kind)) {
            throw new BundleException(source + ": " + what + " is " + (kind == null ? "not a Kubernetes object" : "a " + kind)
                    + ", not a SealedSecret");
        }
        Map<String, Object> spec = map(object.get("spec"), source, "spec");
        if (spec.containsKey("data")) {
            throw new BundleException(source + ": " + what + " uses the deprecated spec.data format; re-seal it");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        map(metadata.get("annotations"), source, "metadata.annotations")
                .forEach((k, v) -> annotations.put(k, String.valueOf(v)));
        Map<String, String> encrypted = new LinkedHashMap<>();
        map(spec.get("encryptedData"), source, "spec.encryptedData")
                .forEach((k, v) -> encrypted.put(k, v == null ? "" : String.valueOf(v)));
        return new SealedSecretView(source, text(metadata.get("name")), text(metadata.get("namespace")),
                SealingScope.fromAnnotations(annotations), encrypted,
                map(spec.get("template"), source, "spec.template"));
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    byte[] label() {
        return scope.label(namespace, name);
    }

    String describe() {
        return source + ": SealedSecret " + (namespace == null ? "" : namespace + "/") + name;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String source, String field) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new BundleException(source + ": " + field + " must be a mapping, not '" + value + "'");
    }
}
