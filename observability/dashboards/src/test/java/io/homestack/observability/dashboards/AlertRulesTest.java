package io.homestack.observability.dashboards;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.prometheus.Promtool;
import io.homestack.bundle.test.prometheus.PrometheusTools;
import io.homestack.bundle.test.prometheus.RuleFiles;
import io.homestack.bundle.test.prometheus.RuleFiles.RuleFile;
import io.homestack.bundle.test.prometheus.RuleProof;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Alerts fire for a synthetic failure: the rules of the rendered PrometheusRule (target/bundle, not a second copy) pass
 * {@code promtool check rules} and the unit tests in src/test/promtool pass {@code promtool test rules}, with promtool
 * built from the Go module at PROMETHEUS_VERSION (what kube-prometheus-stack 88.5.3 runs).
 */
@ExtendWith(PrometheusTools.class)
class AlertRulesTest {

    private static final Path TESTS = Path.of("src/test/promtool");
    private static Promtool promtool;

    private final BundleOutput output = BundleOutput.ofModule();

    @BeforeAll
    static void promtool() {
        promtool = Promtool.locate();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyRuleFiresOnItsFailureAndStaysSilentWhenHealthy(String env) {
        RuleProof proof = new RuleProof(promtool, Path.of("target/promtool", env));

        List<RuleFile> rules = proof.checkedRules(output.objects(env));
        assertThat(RuleFiles.alertNames(rules))
                .containsExactly("Watchdog", "PodCrashLooping", "IstioHighErrorRate", "PersistentVolumeNearlyFull",
                        "ZigbeeEventBridgeDisconnected", "NzbgetUnreachable", "NzbgetDiskSpaceLow");
        proof.unitTests(rules, TESTS);
    }

    @Test
    void aPromqlSyntaxErrorFailsNamingTheObjectAndWithPromtoolsMessage() {
        KubeObject broken = withExpr(rendered(), "IstioHighErrorRate", "sum by (destination_service_name) (rate(istio_requests_total[5m])");
        RuleProof proof = new RuleProof(promtool, Path.of("target/promtool/broken-syntax"));

        assertThatThrownBy(() -> proof.checkedRules(List.of(broken)))
                .hasMessageContaining("PrometheusRule observability/homestack-alerts (k3d/prometheusrule-homestack-alerts.yaml)")
                .hasMessageContaining("check rules observability-homestack-alerts.rules.yaml exited with 1")
                // promtool's own words, with the rule's group and the parser's position
                .hasMessageContaining("unclosed left parenthesis");
    }

    @Test
    void aRuleThatNoLongerFiresOnItsFailureTurnsTheUnitTestsRed() {
        // The threshold raised above the test's 95%: the firing case of PersistentVolumeNearlyFull must fail.
        KubeObject changed = withExpr(rendered(), "PersistentVolumeNearlyFull",
                "max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes) > 0.97");
        RuleProof proof = new RuleProof(promtool, Path.of("target/promtool/changed-rule"));
        List<RuleFile> rules = proof.checkedRules(List.of(changed));

        assertThatThrownBy(() -> proof.unitTests(rules, TESTS))
                .hasMessageContaining("promtool unit tests of src/test/promtool")
                .hasMessageContaining("alertname: PersistentVolumeNearlyFull")
                .hasMessageContaining("exp:")
                .hasMessageContaining("got:");
    }

    private KubeObject rendered() {
        return output.object("k3d", "PrometheusRule", "homestack-alerts");
    }

    /** A deep copy of the rendered rule with one alert's expression replaced. */
    @SuppressWarnings("unchecked")
    private static KubeObject withExpr(KubeObject rule, String alert, String expr) {
        Map<String, Object> body = Yaml.readMap(Yaml.write(rule.body()), rule.source());
        for (Object group : KubeObject.list(KubeObject.map(body.get("spec")).get("groups"))) {
            for (Object r : KubeObject.list(KubeObject.map(group).get("rules"))) {
                if (alert.equals(KubeObject.map(r).get("alert"))) {
                    ((Map<String, Object>) r).put("expr", expr);
                    return new KubeObject(body, rule.source());
                }
            }
        }
        throw new AssertionError("no alert " + alert + " in " + rule.describe());
    }
}
