package io.homestack.bundle.test.prometheus;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.prometheus.DashboardQueries.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kit's pieces against the real promtool and prometheus (build.sh prometheus): skipped without them, CI fails. */
@ExtendWith(PrometheusTools.class)
class PrometheusEngineTest {

    @TempDir
    static Path work;
    private static Promtool promtool;
    private static PrometheusServer server;
    private static Instant end;

    @BeforeAll
    static void start() throws IOException {
        Path binary = PrometheusBinaries.prometheus();
        promtool = Promtool.locate();
        SyntheticSeries series = SyntheticSeries.parse("""
                interval: 30s
                series:
                  - series: 'up{job="a", namespace="x"}'
                    values: '1x20'
                  - series: 'up{job="b", namespace="y"}'
                    values: '0x20'
                """, "inline");
        end = Instant.ofEpochSecond(Instant.now().getEpochSecond() - 5);
        Path om = Files.writeString(work.resolve("series.om"), series.openMetrics(end.getEpochSecond()));
        Path data = Files.createDirectories(work.resolve("data"));
        promtool.createBlocks(om, data);
        server = PrometheusServer.start(binary, work, data, List.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theLoadedSeriesAreQueryableAndErrorsAreThePrometheusOnes() {
        assertThat(server.query("sum(up)", end).data().path("result").get(0).path("value").get(1).asText()).isEqualTo("1");
        assertThat(server.queryRange("up", end.minusSeconds(300), end, Duration.ofSeconds(60)).seriesCount()).isEqualTo(2);
        PrometheusServer.Answer bad = server.query("sum(up", end);
        assertThat(bad.ok()).isFalse();
        assertThat(bad.errorType()).isEqualTo("bad_data");
        assertThat(bad.error()).contains("unclosed left parenthesis");
        assertThatThrownBy(() -> server.awaitSeries("nothing_here", Duration.ofMillis(300)))
                .hasMessageStartingWith("no nothing_here in prometheus");
    }

    @Test
    void variablesResolveThroughTheServerAndOneWithoutValuesIsAnError() {
        Dashboard d = Dashboard.of(List.of(DashboardTest.configMap("v", """
                {"title": "V", "templating": {"list": [
                   {"name": "ns", "type": "query", "datasource": {"uid": "prometheus"}, "query": "label_values(up{job=\\"b\\"}, namespace)"},
                   {"name": "gone", "type": "query", "datasource": {"uid": "prometheus"}, "query": {"query": "label_values(absent_metric, namespace)"}},
                   {"name": "odd", "type": "query", "datasource": {"uid": "prometheus"}, "query": "metrics(up)"}]},
                 "panels": [{"title": "P", "datasource": {"uid": "prometheus"},
                             "targets": [{"refId": "A", "expr": "up{namespace=\\"$ns\\"}", "instant": true}]}]}
                """))).get(0);

        List<Outcome> outcomes = new DashboardQueries(server, end, Duration.ofMinutes(5), Duration.ofSeconds(30)).run(d);

        assertThat(outcomes).extracting(Outcome::describe).containsExactly(
                "dashboard 'V' (ConfigMap observability/v key v.json, k3d/configmap-v.yaml), variable ns: label_values(up{job=\"b\"}, namespace) -> 1 series",
                "dashboard 'V' (ConfigMap observability/v key v.json, k3d/configmap-v.yaml), variable gone: label_values(absent_metric, namespace)"
                        + " -> error: no values: every panel using $gone would be empty",
                "dashboard 'V' (ConfigMap observability/v key v.json, k3d/configmap-v.yaml), variable odd: metrics(up)"
                        + " -> error: unsupported variable query (label_values(...) or query_result(...) only)",
                "dashboard 'V' (ConfigMap observability/v key v.json, k3d/configmap-v.yaml), panel 'P' query A: up{namespace=\"y\"} -> 1 series");
    }

    @Test
    void checkRulesReportsTheFileAndPromtoolsMessage(@TempDir Path dir) {
        KubeObject rule = RuleFilesTest.rule("bad", """
                groups:
                  - name: g
                    rules:
                      - alert: Broken
                        expr: rate(up[5m]
                """);
        RuleProof proof = new RuleProof(promtool, dir);

        assertThatThrownBy(() -> proof.checkedRules(List.of(rule)))
                .hasMessageStartingWith("PrometheusRule observability/bad (k3d/prometheusrule-bad.yaml) is rejected by ")
                .hasMessageContaining("check rules observability-bad.rules.yaml exited with 1")
                .hasMessageContaining("unclosed left parenthesis");
    }
}
