package io.homestack.bundle.diff;

import io.homestack.bundle.diff.ReleaseDiff.FieldChange;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields in which two versions of an object differ, as paths like
 * {@code spec.template.spec.containers[name=app].env[name=TZ].value}: lists whose items all have a distinct
 * {@code name} (containers, env, ports, volumes) are matched by name, so an inserted item shows as one addition
 * rather than every later index changing; other lists by index.
 */
final class FieldDiff {

    private FieldDiff() {
    }

    static List<FieldChange> of(Map<String, Object> before, Map<String, Object> after) {
        List<FieldChange> changes = new ArrayList<>();
        diff("", before, after, changes);
        return changes;
    }

    private static void diff(String path, Object before, Object after, List<FieldChange> out) {
        if (Objects.equals(before, after)) {
            return;
        }
        if (before instanceof Map<?, ?> a && after instanceof Map<?, ?> b) {
            Set<String> keys = new TreeSet<>();
            a.keySet().forEach(k -> keys.add(String.valueOf(k)));
            b.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                diff(path.isEmpty() ? key(k) : path + "." + key(k), a.get(k), b.get(k), out);
            }
        } else if (before instanceof List<?> a && after instanceof List<?> b) {
            if (byName(a) && byName(b)) {
                Set<String> names = new TreeSet<>();
                a.forEach(i -> names.add(name(i)));
                b.forEach(i -> names.add(name(i)));
                for (String n : names) {
                    diff(path + "[name=" + n + "]", find(a, n), find(b, n), out);
                }
            } else {
                for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                    diff(path + "[" + i + "]", i < a.size() ? a.get(i) : null, i < b.size() ? b.get(i) : null, out);
                }
            }
        } else {
            out.add(new FieldChange(path, before, after));
        }
    }

    /** Keys with dots (annotations, labels, ConfigMap file names) quoted so the path stays unambiguous. */
    private static String key(String k) {
        return k.matches("[A-Za-z0-9_-]+") ? k : "\"" + k + "\"";
    }

    private static boolean byName(List<?> items) {
        Set<String> names = new HashSet<>();
        return !items.isEmpty() && items.stream().allMatch(i -> name(i) != null && names.add(name(i)));
    }

    private static String name(Object item) {
        return item instanceof Map<?, ?> m && m.get("name") instanceof String s ? s : null;
    }

    private static Object find(List<?> items, String name) {
        return items.stream().filter(i -> name.equals(name(i))).findFirst().orElse(null);
    }
}
