package io.homestack.bundle.validate;

import io.homestack.bundle.k8s.KubeObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every namespace we create says whether Istio injects sidecars and which Pod Security level it enforces. */
final class NamespaceLabels implements Rule {

    static final String INJECTION = "istio-injection";
    static final String REVISION = "istio.io/rev";
    static final String ENFORCE = "pod-security.kubernetes.io/enforce";
    private static final Set<String> LEVELS = Set.of("privileged", "baseline", "restricted");

    @Override
    public String id() {
        return "namespace-labels";
    }

    @Override
    public List<String> check(KubeObject object, List<KubeObject> all) {
        if (!"Namespace".equals(object.kind())) {
            return List.of();
        }
        Map<String, Object> labels = object.labels();
        List<String> problems = new ArrayList<>();
        Object injection = labels.get(INJECTION);
        if (injection == null && !labels.containsKey(REVISION)) {
            problems.add("label '" + INJECTION + "' (enabled or disabled) or '" + REVISION + "' is missing");
        } else if (injection != null && !Set.of("enabled", "disabled").contains(injection.toString())) {
            problems.add("label '" + INJECTION + "' is '" + injection + "'; expected enabled or disabled");
        }
        Object level = labels.get(ENFORCE);
        if (level == null) {
            problems.add("label '" + ENFORCE + "' is missing (privileged, baseline or restricted)");
        } else if (!LEVELS.contains(level.toString())) {
            problems.add("label '" + ENFORCE + "' is '" + level + "'; expected privileged, baseline or restricted");
        }
        return problems;
    }
}
