package io.homestack.bundle.k8s;

import io.homestack.bundle.BundleException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds core/v1 Secret objects anywhere in a value: the value itself, any mapping nested in it (lists included, e.g.
 * a chart's {@code extraDeploy}), items of a typed list ({@code kind: SecretList}), and YAML held in strings, which
 * charts render with {@code tpl}.
 *
 * <p>Judged on content: the API server and Argo CD take {@code apiVersion} through Go's {@code ParseGroupVersion}, so
 * {@code v1} and {@code /v1} both mean core/v1, and match {@code kind} exactly. This matches a superset: kind and
 * apiVersion ignoring case and surrounding blanks, as no other object of the core group has such a kind.
 */
public final class SecretObjects {

    /** For template text that is not YAML even without its actions: a {@code kind: Secret} line (stripped). */
    private static final Pattern SECRET_LINE =
            Pattern.compile("(?i)(- +)?[\"']?kind[\"']? *: *[\"']? *secret *[\"']? *(#.*)?");
    private static final char ACTION = '\u0000';

    /** YAML text inside YAML text inside YAML text is as deep as a chart goes (tpl of a tpl). */
    private static final int MAX_TEXT_DEPTH = 3;

    private SecretObjects() {
    }

    public static boolean isSecret(Map<?, ?> object) {
        Object kind = object.get("kind");
        Object apiVersion = object.get("apiVersion");
        if (!(kind instanceof String k) || !(apiVersion instanceof String v)) {
            return false;
        }
        String version = v.strip().toLowerCase(Locale.ROOT);
        return k.strip().equalsIgnoreCase("Secret") && (version.equals("v1") || version.equals("/v1"));
    }

    /**
     * Where Secret objects are in {@code value}: "" for the value itself, else a path such as
     * {@code extraDeploy[0]} or {@code extraDeploy[1] (YAML text, document 1)}.
     */
    public static List<String> find(Object value) {
        List<String> found = new ArrayList<>();
        find(value, "", found, 0);
        return found;
    }

    private static void find(Object value, String path, List<String> found, int textDepth) {
        if (value instanceof Map<?, ?> map) {
            if (isSecret(map)) {
                found.add(path);
            }
            findInTypedList(map, path, found);
            map.forEach((key, v) -> find(v, path.isEmpty() ? String.valueOf(key) : path + "." + key, found, textDepth));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                find(list.get(i), path + "[" + i + "]", found, textDepth);
            }
        } else if (value instanceof String text && textDepth < MAX_TEXT_DEPTH && text.contains(":")
                && text.toLowerCase(Locale.ROOT).contains("secret")) {
            findInText(text, path, found, textDepth + 1);
        }
    }

    /**
     * Items of a typed list ({@code kind: SecretList}) need no kind of their own: Go's unstructured decoding (kubectl,
     * Argo CD) gives them the list's kind without "List" and the list's apiVersion.
     */
    private static void findInTypedList(Map<?, ?> list, String path, List<String> found) {
        if (!(list.get("kind") instanceof String kind) || !(list.get("items") instanceof List<?> items)) {
            return;
        }
        String itemKind = kind.strip();
        if (!itemKind.toLowerCase(Locale.ROOT).endsWith("list")) {
            return;
        }
        itemKind = itemKind.substring(0, itemKind.length() - "list".length());
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof Map<?, ?> item && (item.get("kind") == null || item.get("apiVersion") == null)) {
                Map<Object, Object> typed = new HashMap<>(item);
                typed.putIfAbsent("kind", itemKind);
                typed.putIfAbsent("apiVersion", list.get("apiVersion"));
                if (isSecret(typed)) {
                    found.add((path.isEmpty() ? "" : path + ".") + "items[" + i + "]");
                }
            }
        }
    }

    /**
     * The text with Go template actions ({@code {{ ... }}}) taken out, in linear time: a line of actions only
     * ({@code {{- if }}}, {@code {{ end }}}) is dropped, an action inside a line becomes the value {@code x}.
     */
    static String withoutTemplateActions(String text) {
        StringBuilder marked = new StringBuilder(text.length());
        int at = 0;
        for (int open; (open = text.indexOf("{{", at)) >= 0; ) {
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                break;
            }
            marked.append(text, at, open).append(ACTION);
            at = close + 2;
        }
        marked.append(text, at, text.length());
        StringBuilder out = new StringBuilder(marked.length());
        for (String line : marked.toString().lines().toList()) {
            boolean actionsOnly = line.indexOf(ACTION) >= 0 && line.replace(ACTION, ' ').isBlank();
            if (!actionsOnly) {
                out.append(line.replace(String.valueOf(ACTION), "x")).append('\n');
            }
        }
        return out.toString();
    }

    private static void findInText(String text, String path, List<String> found, int textDepth) {
        String yaml = withoutTemplateActions(text);
        List<Object> docs;
        try {
            docs = Yaml.readDocuments(yaml, path);
        } catch (BundleException notYaml) {
            if (text.lines().map(line -> line.replace('\t', ' ').strip()).anyMatch(l -> SECRET_LINE.matcher(l).matches())) {
                found.add(path + " (template text with a 'kind: Secret' line)");
            }
            return;
        }
        for (int i = 0; i < docs.size(); i++) {
            String in = path + " (YAML text, document " + (i + 1) + ")";
            List<String> inside = new ArrayList<>();
            find(docs.get(i), "", inside, textDepth);
            inside.forEach(inner -> found.add(inner.isEmpty() ? in : in + " at " + inner));
        }
    }
}
