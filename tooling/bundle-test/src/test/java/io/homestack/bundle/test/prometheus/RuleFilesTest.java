package io.homestack.bundle.test.prometheus;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleFilesTest {

    static KubeObject rule(String name, String spec) {
        return new KubeObject(Yaml.readMap("""
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: %s, namespace: observability}
                spec:
                %s""".formatted(name, spec.indent(2)), "t"), "k3d/prometheusrule-" + name + ".yaml");
    }

    @Test
    void writesEachObjectsSpecAsOneRuleFileAndNamesItsAlerts(@TempDir Path dir) throws IOException {
        KubeObject r = rule("a", """
                groups:
                  - name: g
                    rules:
                      - alert: Down
                        expr: up == 0
                        for: 5m
                      - record: job:up:sum
                        expr: sum by (job) (up)
                """);
        Files.writeString(dir.resolve("stale.rules.yaml"), "groups: []");

        List<RuleFiles.RuleFile> files = RuleFiles.write(List.of(r, new KubeObject(Yaml.readMap("kind: ConfigMap", "t"), "t")), dir);

        assertThat(files).extracting(f -> f.file().getFileName().toString()).containsExactly("observability-a.rules.yaml");
        assertThat(dir.resolve("stale.rules.yaml")).doesNotExist();
        assertThat(Yaml.readMap(Files.readString(files.get(0).file()), "x"))
                .isEqualTo(Yaml.readMap(Yaml.write(KubeObject.map(r.body().get("spec"))), "y"));
        assertThat(RuleFiles.alertNames(files)).containsExactly("Down");
        assertThat(files.get(0).describe()).isEqualTo("PrometheusRule observability/a (k3d/prometheusrule-a.yaml)");
    }

    @Test
    void aRuleWithoutGroupsIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> RuleFiles.write(List.of(rule("empty", "groups: []")), dir))
                .hasMessage("k3d/prometheusrule-empty.yaml: PrometheusRule observability/empty has no spec.groups");
    }

    @Test
    void everyAlertNeedsAFiringAndASilentCase(@TempDir Path dir) throws IOException {
        Path tests = Files.writeString(dir.resolve("t.yaml"), """
                tests:
                  - alert_rule_test:
                      - {alertname: Down, eval_time: 5m, exp_alerts: [{exp_labels: {severity: x}}]}
                      - {alertname: Watchdog, eval_time: 1m, exp_alerts: [{exp_labels: {}}]}
                  - alert_rule_test:
                      - {alertname: Full, eval_time: 5m, exp_alerts: []}
                """);

        assertThat(RuleProof.untested(List.of("Down", "Full", "Watchdog", "Other"), List.of(tests)))
                .containsExactly("Down (silent)", "Full (firing)", "Other (firing)", "Other (silent)");
    }
}
