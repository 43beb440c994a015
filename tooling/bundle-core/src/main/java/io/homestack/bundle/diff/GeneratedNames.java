package io.homestack.bundle.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ConfigMaps and Secrets from kustomize generators carry a hash of their content in their name, so one changed value
 * renames them. A removed and an added one with the same name before the hash are one object that changed: the
 * diff shows the changed value instead of a removal and an addition.
 */
final class GeneratedNames {

    /** "v1 ConfigMap media/media-env-b9kt798g58": the stem and kustomize's 10-character hash suffix. */
    private static final Pattern GENERATED = Pattern.compile("(v1 (?:ConfigMap|Secret) .+)-[a-z0-9]{10}");

    private GeneratedNames() {
    }

    /** Old key → new key, for each stem with exactly one removed and one added object. */
    static Map<String, String> pairs(SortedMap<String, ?> before, SortedMap<String, ?> after) {
        Map<String, List<String>> removed = byStem(before, after);
        Map<String, List<String>> added = byStem(after, before);
        Map<String, String> pairs = new TreeMap<>();
        removed.forEach((stem, old) -> {
            List<String> next = added.get(stem);
            if (old.size() == 1 && next != null && next.size() == 1) {
                pairs.put(old.get(0), next.get(0));
            }
        });
        return pairs;
    }

    /** "media-env-5bg75b4d4k" of "v1 ConfigMap media/media-env-5bg75b4d4k" */
    static String name(String key) {
        return key.substring(key.lastIndexOf(key.contains("/") ? '/' : ' ') + 1);
    }

    /** The generated keys of {@code in} that {@code other} does not have, by stem. */
    private static Map<String, List<String>> byStem(SortedMap<String, ?> in, SortedMap<String, ?> other) {
        Map<String, List<String>> stems = new TreeMap<>();
        for (String key : in.keySet()) {
            Matcher m = GENERATED.matcher(key);
            if (!other.containsKey(key) && m.matches()) {
                stems.computeIfAbsent(m.group(1), s -> new ArrayList<>()).add(key);
            }
        }
        return stems;
    }
}
