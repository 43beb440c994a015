package io.homestack.bundle.test.prometheus;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Rendered PrometheusRule objects as the rule files Prometheus loads: the prometheus-operator writes each object's
 * {@code spec} ({@code groups}) unchanged into one file (no label is enforced: kube-prometheus-stack's default), so
 * the rules promtool checks are the ones Argo CD applies, not a second copy.
 */
public final class RuleFiles {

    /** One rule file and the rendered object (and its file in the bundle output) it came from. */
    public record RuleFile(Path file, KubeObject source) {

        /** "PrometheusRule observability/homestack-alerts (k3d/prometheusrule-homestack-alerts.yaml)". */
        public String describe() {
            return source.describe() + " (" + source.source() + ")";
        }
    }

    private RuleFiles() {
    }

    /** Writes {@code <namespace>-<name>.yaml} for every PrometheusRule into dir, after removing its old rule files. */
    public static List<RuleFile> write(List<KubeObject> objects, Path dir) {
        List<KubeObject> rules = objects.stream()
                .filter(o -> "PrometheusRule".equals(o.kind()) && "monitoring.coreos.com".equals(o.group())).toList();
        List<RuleFile> files = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path f : old.filter(f -> f.getFileName().toString().endsWith(".rules.yaml")).toList()) {
                    Files.delete(f);
                }
            }
            for (KubeObject rule : rules) {
                List<Object> groups = KubeObject.list(KubeObject.map(rule.body().get("spec")).get("groups"));
                if (groups.isEmpty()) {
                    throw new IllegalArgumentException(rule.source() + ": " + rule.describe() + " has no spec.groups");
                }
                Map<String, Object> content = new LinkedHashMap<>();
                content.put("groups", groups);
                Path file = dir.resolve(fileName(rule));
                Files.writeString(file, Yaml.write(content));
                files.add(new RuleFile(file, rule));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write rule files into " + dir, e);
        }
        return files;
    }

    /** {@code <namespace>-<name>.rules.yaml}: what unit test files name in {@code rule_files}. */
    public static String fileName(KubeObject rule) {
        return (rule.namespace() == null ? "" : rule.namespace() + "-") + rule.name() + ".rules.yaml";
    }

    /** The alert names of the rule files, in order. */
    public static List<String> alertNames(List<RuleFile> files) {
        List<String> names = new ArrayList<>();
        for (RuleFile f : files) {
            for (Object group : KubeObject.list(KubeObject.map(f.source().body().get("spec")).get("groups"))) {
                for (Object rule : KubeObject.list(KubeObject.map(group).get("rules"))) {
                    Object alert = KubeObject.map(rule).get("alert");
                    if (alert != null) {
                        names.add(alert.toString());
                    }
                }
            }
        }
        return names;
    }
}
