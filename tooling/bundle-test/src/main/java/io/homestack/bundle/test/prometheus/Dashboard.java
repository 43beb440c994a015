package io.homestack.bundle.test.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homestack.bundle.k8s.KubeObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Grafana dashboard as the Grafana sidecar loads it: one {@code *.json} entry of a ConfigMap labelled
 * {@code grafana_dashboard: "1"}; with its panel queries and the datasource uids it references.
 */
public record Dashboard(KubeObject configMap, String key, JsonNode json) {

    public static final String LABEL = "grafana_dashboard";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One Prometheus query of a panel (or of a template variable: panel is then "variable NAME"). */
    public record PanelQuery(Dashboard dashboard, String panel, String refId, String datasourceUid, String expr,
                             boolean instant) {

        /** "dashboard 'Istio mesh' (ConfigMap observability/x, k3d/x.yaml), panel 'Requests' query A". */
        public String describe() {
            return dashboard.describe() + ", " + panel + (refId == null ? "" : " query " + refId);
        }
    }

    /** Every dashboard of the rendered objects; a data entry that is not JSON fails naming the ConfigMap and key. */
    public static List<Dashboard> of(List<KubeObject> objects) {
        List<Dashboard> out = new ArrayList<>();
        for (KubeObject o : objects) {
            if (!"ConfigMap".equals(o.kind()) || !"1".equals(KubeObject.string(o.labels().get(LABEL)))) {
                continue;
            }
            for (Map.Entry<String, Object> e : KubeObject.map(o.body().get("data")).entrySet()) {
                if (!e.getKey().endsWith(".json")) {
                    continue;
                }
                try {
                    out.add(new Dashboard(o, e.getKey(), JSON.readTree(KubeObject.string(e.getValue()))));
                } catch (JsonProcessingException ex) {
                    throw new IllegalArgumentException(o.source() + ": " + o.describe() + " key " + e.getKey()
                            + " is not JSON: " + ex.getOriginalMessage());
                }
            }
        }
        return out;
    }

    public String title() {
        return json.path("title").asText();
    }

    /** "dashboard 'Cluster overview' (ConfigMap observability/dashboard-x key x.json, k3d/configmap-x.yaml)". */
    public String describe() {
        return "dashboard '" + title() + "' (" + configMap.describe() + " key " + key + ", " + configMap.source() + ")";
    }

    /** The template variables, in order (Grafana resolves them in this order; later ones may use earlier ones). */
    public List<JsonNode> variables() {
        List<JsonNode> vars = new ArrayList<>();
        json.path("templating").path("list").forEach(vars::add);
        return vars;
    }

    /** Every panel query (rows' nested panels included) and every query variable's query. */
    public List<PanelQuery> queries() {
        List<PanelQuery> out = new ArrayList<>();
        for (JsonNode v : variables()) {
            if ("query".equals(v.path("type").asText())) {
                JsonNode q = v.path("query");
                out.add(new PanelQuery(this, "variable " + v.path("name").asText(), null, uid(v.path("datasource")),
                        q.isObject() ? q.path("query").asText() : q.asText(), true));
            }
        }
        panels(json.path("panels"), out);
        return out;
    }

    private void panels(JsonNode panels, List<PanelQuery> out) {
        for (JsonNode panel : panels) {
            String title = "panel '" + panel.path("title").asText() + "'";
            String panelUid = uid(panel.path("datasource"));
            for (JsonNode t : panel.path("targets")) {
                String uid = t.has("datasource") ? uid(t.path("datasource")) : panelUid;
                out.add(new PanelQuery(this, title, t.path("refId").asText(), uid, t.path("expr").asText(),
                        t.path("instant").asBoolean(false)));
            }
            panels(panel.path("panels"), out); // collapsed rows keep their panels inside
        }
    }

    /** Problems: every panel, target or variable whose datasource uid is missing or not among the provisioned ones. */
    public List<String> unknownDatasources(Set<String> provisioned) {
        List<String> problems = new ArrayList<>();
        for (PanelQuery q : queries()) {
            if (q.datasourceUid() == null || !provisioned.contains(q.datasourceUid())) {
                problems.add(q.describe() + ": datasource uid " + (q.datasourceUid() == null ? "(none: Grafana's default)"
                        : "'" + q.datasourceUid() + "'") + " is not a provisioned datasource " + provisioned.stream().sorted().toList());
            }
        }
        return problems;
    }

    private static String uid(JsonNode datasource) {
        if (datasource.isTextual()) {
            return datasource.asText(); // the old form: a datasource name or uid as a string
        }
        JsonNode uid = datasource.path("uid");
        return uid.isTextual() ? uid.asText() : null;
    }
}
