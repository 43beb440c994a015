package io.homestack.observability.dashboards;

import java.util.Set;

/** The Grafana datasource uids dashboards may reference. */
final class Datasources {

    /**
     * The observability contract's list (issue 10): prometheus-grafana provisions exactly these. Read from its render
     * once that bundle is in this build (it is built on another branch today).
     */
    static final Set<String> PROVISIONED = Set.of("prometheus", "alertmanager", "loki", "tempo", "jaeger");

    private Datasources() {
    }
}
