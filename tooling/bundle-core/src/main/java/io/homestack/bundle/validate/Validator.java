package io.homestack.bundle.validate;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.render.RenderedBundle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks every rendered object of every environment against the structure rules and the policies. */
public final class Validator {

    /** The rules in the order their messages are reported. */
    public static final List<Rule> RULES = List.of(new Structure(), new NoPlaintextSecret(), new ImagePinned(),
            new WorkloadHardening(), new NamespaceLabels(), new ExposedHttpService());

    private final List<Rule> rules;

    public Validator() {
        this(RULES);
    }

    public Validator(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** All violations; empty when the bundle is valid. */
    public List<Violation> violations(RenderedBundle rendered) {
        List<Violation> violations = new ArrayList<>();
        String bundle = rendered.bundle().name();
        for (var env : rendered.environments().entrySet()) {
            List<KubeObject> objects = env.getValue();
            Map<String, KubeObject> seen = new HashMap<>();
            for (KubeObject object : objects) {
                String described = describe(object);
                for (Rule rule : rules) {
                    List<String> problems = rule.check(object, objects);
                    String optOut = KubeObject.string(object.annotations().get(Rule.OPT_OUT_PREFIX + rule.id()));
                    if (optOut != null && !rule.optOutAllowed()) {
                        violations.add(new Violation(bundle, env.getKey(), object.source(), described, rule.id(),
                                "opts out with annotation '" + Rule.OPT_OUT_PREFIX + rule.id() + "', but this rule"
                                        + " cannot be opted out of; remove the annotation"));
                        problems.forEach(p -> violations.add(
                                new Violation(bundle, env.getKey(), object.source(), described, rule.id(), p)));
                    } else if (optOut != null && optOut.isBlank()) {
                        violations.add(new Violation(bundle, env.getKey(), object.source(), described, rule.id(),
                                "opts out with annotation '" + Rule.OPT_OUT_PREFIX + rule.id()
                                        + "' but gives no reason; say why in its value"));
                    } else if (optOut == null) {
                        problems.forEach(p -> violations.add(
                                new Violation(bundle, env.getKey(), object.source(), described, rule.id(), p)));
                    }
                }
                KubeObject earlier = seen.putIfAbsent(object.key(), object);
                if (earlier != null) {
                    violations.add(new Violation(bundle, env.getKey(), object.source(), described, "structure",
                            "duplicate object; also defined in " + earlier.source()));
                }
            }
        }
        return violations;
    }

    /** Throws one error listing every violation, so a user fixes them in one pass. */
    public void validate(RenderedBundle rendered) {
        List<Violation> violations = violations(rendered);
        if (!violations.isEmpty()) {
            StringBuilder message = new StringBuilder("[" + rendered.bundle().name() + "] " + violations.size()
                    + " policy violation" + (violations.size() == 1 ? "" : "s") + ":");
            violations.forEach(v -> message.append("\n  - ").append(v));
            message.append("\nAn object may opt out of one rule with the annotation ").append(Rule.OPT_OUT_PREFIX)
                    .append("<rule>: \"<reason>\"");
            List<String> fixed = rules.stream().filter(r -> !r.optOutAllowed()).map(Rule::id).toList();
            message.append(fixed.isEmpty() ? "" : "; " + String.join(" and ", fixed) + " allow no opt-out")
                    .append(" (docs/policies.md).");
            throw new BundleException(message.toString());
        }
    }

    private static String describe(KubeObject object) {
        String kind = object.kind() == null ? "<no kind>" : object.kind();
        String name = object.name() == null ? "<no name>" : object.name();
        return kind + " " + (object.namespace() == null ? "" : object.namespace() + "/") + name;
    }
}
