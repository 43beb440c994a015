package io.homestack.bundle.test.prometheus;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.test.prometheus.Dashboard.PanelQuery;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashboardTest {

    static KubeObject configMap(String name, String json) {
        Map<String, Object> body = Yaml.readMap("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: observability
                  labels:
                    grafana_dashboard: "1"
                """.formatted(name), "test");
        body.put("data", Map.of(name + ".json", json));
        return new KubeObject(body, "k3d/configmap-" + name + ".yaml");
    }

    private static final String JSON = """
            {"title": "T", "templating": {"list": [
               {"name": "ns", "type": "query", "datasource": {"type": "prometheus", "uid": "prometheus"},
                "query": {"query": "label_values(up, namespace)"}}]},
             "panels": [
               {"title": "A", "datasource": {"uid": "prometheus"}, "targets": [{"refId": "A", "expr": "up{namespace=\\"$ns\\"}"},
                                                                    {"refId": "B", "expr": "x", "instant": true, "datasource": {"uid": "loki"}}]},
               {"title": "Row", "type": "row", "collapsed": true, "panels": [
                  {"title": "Inner", "datasource": "graphite", "targets": [{"refId": "A", "expr": "y"}]},
                  {"title": "NoSource", "targets": [{"refId": "A", "expr": "z"}]}]}]}
            """;

    @Test
    void findsEveryQueryIncludingVariablesAndCollapsedRows() {
        Dashboard d = Dashboard.of(List.of(configMap("d", JSON))).get(0);

        assertThat(d.queries()).extracting(PanelQuery::panel, PanelQuery::refId, PanelQuery::datasourceUid, PanelQuery::expr,
                        PanelQuery::instant)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("variable ns", null, "prometheus", "label_values(up, namespace)", true),
                        org.assertj.core.groups.Tuple.tuple("panel 'A'", "A", "prometheus", "up{namespace=\"$ns\"}", false),
                        org.assertj.core.groups.Tuple.tuple("panel 'A'", "B", "loki", "x", true),
                        org.assertj.core.groups.Tuple.tuple("panel 'Inner'", "A", "graphite", "y", false),
                        org.assertj.core.groups.Tuple.tuple("panel 'NoSource'", "A", null, "z", false));
    }

    @Test
    void anUnprovisionedOrMissingDatasourceIsNamedWithTheConfigMapAndPanel() {
        Dashboard d = Dashboard.of(List.of(configMap("d", JSON))).get(0);

        assertThat(d.unknownDatasources(Set.of("prometheus", "loki"))).containsExactly(
                "dashboard 'T' (ConfigMap observability/d key d.json, k3d/configmap-d.yaml), panel 'Inner' query A:"
                        + " datasource uid 'graphite' is not a provisioned datasource [loki, prometheus]",
                "dashboard 'T' (ConfigMap observability/d key d.json, k3d/configmap-d.yaml), panel 'NoSource' query A:"
                        + " datasource uid (none: Grafana's default) is not a provisioned datasource [loki, prometheus]");
    }

    @Test
    void onlyLabelledConfigMapsAreDashboardsAndBrokenJsonIsNamed() {
        KubeObject unlabelled = new KubeObject(Yaml.readMap("kind: ConfigMap\nmetadata: {name: x}\ndata: {x.json: '{'}\n", "t"), "t");
        assertThat(Dashboard.of(List.of(unlabelled))).isEmpty();

        assertThatThrownBy(() -> Dashboard.of(List.of(configMap("bad", "{\"title\": "))))
                .hasMessageStartingWith("k3d/configmap-bad.yaml: ConfigMap observability/bad key bad.json is not JSON:");
    }

    @Test
    void substitutesVariablesTheWaysGrafanaWritesThemAndLeavesTheRest() {
        Map<String, String> v = Map.of("ns", "media", "__rate_interval", "2m");
        assertThat(DashboardQueries.substitute("rate(x{a=\"$ns\", b=\"${ns}\", c=\"[[ns]]\", d=\"${ns:regex}\"}[$__rate_interval])"
                + " + label_replace(y, \"z\", \"$1\", \"w\", \"(.*)\") + $unknown", v))
                .isEqualTo("rate(x{a=\"media\", b=\"media\", c=\"media\", d=\"media\"}[2m])"
                        + " + label_replace(y, \"z\", \"$1\", \"w\", \"(.*)\") + $unknown");
    }
}
