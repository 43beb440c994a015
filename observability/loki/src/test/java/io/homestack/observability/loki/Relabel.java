package io.homestack.observability.loki;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the {@code rule} blocks of a {@code discovery.relabel} component to one target with Prometheus' relabelling
 * semantics and Alloy's defaults (action replace, separator ";", regex "(.*)" anchored, replacement "$1"). Models the
 * actions that keep, drop or set labels; any other action is an error asking to extend it, so a rule this test cannot
 * evaluate never passes unnoticed.
 */
final class Relabel {

    private Relabel() {
    }

    /** @return the target's labels after the rules, or null if a rule dropped it */
    static Map<String, String> apply(List<AlloyConfig.Block> rules, Map<String, String> target) {
        Map<String, String> labels = new TreeMap<>(target);
        for (AlloyConfig.Block rule : rules) {
            String action = string(rule, "action", "replace");
            Pattern regex = Pattern.compile(string(rule, "regex", "(.*)"));
            String value = sourceValue(rule, labels);
            switch (action) {
                case "keep" -> {
                    if (!regex.matcher(value).matches()) {
                        return null;
                    }
                }
                case "drop" -> {
                    if (regex.matcher(value).matches()) {
                        return null;
                    }
                }
                case "replace" -> {
                    Matcher m = regex.matcher(value);
                    String targetLabel = string(rule, "target_label", null);
                    if (m.matches() && targetLabel != null) {
                        String result = expand(string(rule, "replacement", "$1"), m);
                        if (result.isEmpty()) {
                            labels.remove(targetLabel);
                        } else {
                            labels.put(targetLabel, result);
                        }
                    }
                }
                case "labeldrop" -> labels.keySet().removeIf(k -> regex.matcher(k).matches());
                case "labelkeep" -> labels.keySet().removeIf(k -> !regex.matcher(k).matches());
                default -> throw new IllegalArgumentException("rule at line " + rule.line() + ": relabel action '"
                        + action + "' is not modelled by this test; extend Relabel");
            }
        }
        return labels;
    }

    /** What Alloy hands on to loki.source.kubernetes as stream labels: everything not starting with "__". */
    static Map<String, String> publicLabels(Map<String, String> labels) {
        Map<String, String> result = new TreeMap<>(labels);
        result.keySet().removeIf(k -> k.startsWith("__"));
        return result;
    }

    private static String sourceValue(AlloyConfig.Block rule, Map<String, String> labels) {
        Object sources = rule.attribute("source_labels");
        if (sources == null) {
            return "";
        }
        String separator = string(rule, "separator", ";");
        return String.join(separator, ((List<?>) sources).stream()
                .map(s -> labels.getOrDefault(s.toString(), "")).toList());
    }

    /** Go's regexp.Expand for the forms relabelling uses: $1, ${1}, $name, ${name}. */
    private static String expand(String template, Matcher m) {
        Matcher ref = Pattern.compile("\\$(?:\\{(\\w+)}|(\\w+))").matcher(template);
        StringBuilder out = new StringBuilder();
        while (ref.find()) {
            String group = ref.group(1) != null ? ref.group(1) : ref.group(2);
            String value;
            if (group.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(group);
                value = index <= m.groupCount() && m.group(index) != null ? m.group(index) : "";
            } else {
                try {
                    value = m.group(group) == null ? "" : m.group(group);
                } catch (IllegalArgumentException noSuchGroup) {
                    value = "";
                }
            }
            ref.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        ref.appendTail(out);
        return out.toString();
    }

    private static String string(AlloyConfig.Block rule, String key, String fallback) {
        Object value = rule.attribute(key);
        return value == null ? fallback : value.toString();
    }
}
