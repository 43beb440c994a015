package io.homestack.bundle.render;

import io.homestack.bundle.k8s.KubeObject;

import java.util.LinkedHashMap;
import java.util.Map;

/** Helm's values merge: maps merge key by key, lists and scalars are replaced, an explicit null removes the key. */
public final class Values {

    private Values() {
    }

    public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) KubeObject.deepCopy(base);
        overlay.forEach((key, value) -> {
            Object current = result.get(key);
            if (value == null) {
                result.remove(key);
            } else if (current instanceof Map<?, ?> && value instanceof Map<?, ?>) {
                result.put(key, merge(KubeObject.map(current), KubeObject.map(value)));
            } else {
                result.put(key, KubeObject.deepCopy(value));
            }
        });
        return result instanceof LinkedHashMap ? result : new LinkedHashMap<>(result);
    }
}
