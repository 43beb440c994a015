package io.homestack.observability.prometheusgrafana;

import io.homestack.bundle.k8s.KubeObject;

import java.util.List;
import java.util.Map;

/**
 * Which objects the chart's Prometheus selects, from the values of {@code prometheus.prometheusSpec}, following
 * kube-prometheus-stack 88.5.3's templates/prometheus/prometheus.yaml and prometheus-operator's selector semantics:
 * a non-empty selector is used as given; an empty one becomes {@code release: <release>} while
 * {@code <kind>SelectorNilUsesHelmValues} is true (its default); otherwise {@code {}}, which matches every object. A
 * rule selector left null stays null, and the operator then selects no rules at all.
 */
final class SelectedKinds {

    /** The kinds the Prometheus resource selects: {@code <kind>Selector}, {@code <kind>NamespaceSelector}. */
    static final List<String> ALL = List.of("serviceMonitor", "podMonitor", "probe", "scrapeConfig", "rule");

    private SelectedKinds() {
    }

    /** True when an object with these labels, in any namespace, is selected for every kind. */
    static boolean selects(Map<String, Object> prometheusSpec, Map<String, Object> labels) {
        return ALL.stream().allMatch(kind -> selects(prometheusSpec, kind, labels));
    }

    /** True when an object of {@code kind} with these labels, in any namespace, is selected. */
    static boolean selects(Map<String, Object> spec, String kind, Map<String, Object> labels) {
        if (!KubeObject.map(spec.get(kind + "NamespaceSelector")).isEmpty()) {
            throw new IllegalArgumentException(kind + "NamespaceSelector is not empty: not every namespace is selected");
        }
        Object selector = spec.get(kind + "Selector");
        boolean nilUsesHelmValues = !Boolean.FALSE.equals(spec.get(kind + "SelectorNilUsesHelmValues"));
        Map<String, Object> effective = KubeObject.map(selector);
        if (effective.isEmpty() && nilUsesHelmValues) {
            effective = Map.of("matchLabels", Map.of("release", "kube-prometheus-stack"));
        } else if (selector == null && "rule".equals(kind)) {
            return false;
        }
        if (effective.containsKey("matchExpressions")) {
            throw new IllegalArgumentException(kind + "Selector uses matchExpressions, which this check does not model");
        }
        return labels.entrySet().containsAll(KubeObject.map(effective.get("matchLabels")).entrySet());
    }
}
