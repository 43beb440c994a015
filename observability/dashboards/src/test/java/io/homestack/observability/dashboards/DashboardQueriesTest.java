package io.homestack.observability.dashboards;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.prometheus.Dashboard;
import io.homestack.bundle.test.prometheus.DashboardQueries;
import io.homestack.bundle.test.prometheus.DashboardQueries.Outcome;
import io.homestack.bundle.test.prometheus.PrometheusBinaries;
import io.homestack.bundle.test.prometheus.PrometheusServer;
import io.homestack.bundle.test.prometheus.PrometheusTools;
import io.homestack.bundle.test.prometheus.Promtool;
import io.homestack.bundle.test.prometheus.RuleFiles;
import io.homestack.bundle.test.prometheus.SyntheticSeries;
import io.homestack.testsupport.TestDirectories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dashboards load without errors: a real Prometheus (built from the Go module at PROMETHEUS_VERSION) with one hour of
 * synthetic series (src/test/prometheus/series.yaml, loaded with promtool tsdb create-blocks-from openmetrics) and the
 * bundle's rendered rules answers every query of every rendered dashboard, template variables resolved through it.
 */
@ExtendWith(PrometheusTools.class)
class DashboardQueriesTest {

    private static final Path WORK = Path.of("target/prometheus");
    private static final Duration STEP = Duration.ofSeconds(60);

    private static PrometheusServer server;
    private static Duration range;

    private final BundleOutput output = BundleOutput.ofModule();

    @BeforeAll
    static void prometheus() throws IOException {
        Path binary = PrometheusBinaries.prometheus();
        Promtool promtool = Promtool.locate();
        Path data = Files.createDirectories(TestDirectories.empty(WORK).resolve("data"));
        SyntheticSeries series = SyntheticSeries.read(Path.of("src/test/prometheus/series.yaml"));
        range = series.span();
        Path om = Files.writeString(WORK.resolve("series.om"), series.openMetrics(Instant.now().getEpochSecond() - 5));
        promtool.createBlocks(om.toAbsolutePath(), data.toAbsolutePath());
        List<Path> rules = RuleFiles.write(BundleOutput.ofModule().objects("k3d"), WORK.resolve("rules")).stream()
                .map(f -> f.file().toAbsolutePath()).toList();
        server = PrometheusServer.start(binary, WORK.toAbsolutePath(), data.toAbsolutePath(), rules);
        // the firing-alerts panel reads ALERTS, which the loaded rules write (the Watchdog on the first evaluation)
        server.awaitSeries("ALERTS{alertname=\"Watchdog\", alertstate=\"firing\"}", Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyPanelQueryOfEveryDashboardParsesExecutesAndReturnsData() {
        List<Dashboard> dashboards = Dashboard.of(output.objects("k3d"));
        assertThat(dashboards).hasSize(5);
        // a second later than the last sample and the Watchdog's first evaluation
        DashboardQueries queries = new DashboardQueries(server, Instant.now().plusSeconds(1), range, STEP);
        List<Outcome> all = new ArrayList<>();
        for (Dashboard d : dashboards) {
            assertThat(d.unknownDatasources(Datasources.PROVISIONED)).as(d.describe()).isEmpty();
            all.addAll(queries.run(d));
        }

        System.out.println("[dashboards] " + all.size() + " queries answered by prometheus " + server.base() + ":\n" + describe(all));
        assertThat(all.stream().filter(Outcome::failed).map(Outcome::describe)).as("queries Prometheus rejected").isEmpty();
        // Every panel of these dashboards has data in a working cluster, and the synthetic series stand in for one
        assertThat(all.stream().filter(o -> o.series() == 0).map(Outcome::describe)).as("queries without data").isEmpty();
        assertThat(all).as("every query was run").hasSize(dashboards.stream().mapToInt(d -> d.queries().size()).sum());
    }

    @Test
    void aQueryPrometheusRejectsIsReportedWithItsPanelAndPrometheusOwnMessage() {
        Dashboard good = Dashboard.of(output.objects("k3d")).stream().filter(d -> d.title().equals("Cluster overview"))
                .findFirst().orElseThrow();
        String broken = good.json().toString().replaceFirst("count\\(kube_node_info\\)", "count(kube_node_info");
        Dashboard bad = Dashboard.of(List.of(withJson(good.configMap(), good.key(), broken))).get(0);

        List<Outcome> failed = new DashboardQueries(server, Instant.now(), range, STEP).run(bad).stream()
                .filter(Outcome::failed).toList();

        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).describe())
                .contains("dashboard 'Cluster overview' (ConfigMap observability/dashboard-cluster-overview key cluster-overview.json,"
                        + " k3d/configmap-dashboard-cluster-overview.yaml), panel 'Nodes' query A: count(kube_node_info -> error: bad_data:")
                .contains("unclosed left parenthesis");
    }

    @Test
    void aDashboardWithAnUnknownDatasourceFailsNamingItsConfigMapAndPanel() {
        Dashboard good = Dashboard.of(output.objects("k3d")).stream().filter(d -> d.title().equals("Istio mesh"))
                .findFirst().orElseThrow();
        String broken = good.json().toString().replaceFirst("\"uid\":\"prometheus\"", "\"uid\":\"victoriametrics\"");
        Dashboard bad = Dashboard.of(List.of(withJson(good.configMap(), good.key(), broken))).get(0);

        assertThat(bad.unknownDatasources(Datasources.PROVISIONED)).hasSize(1).first().asString()
                .startsWith("dashboard 'Istio mesh' (ConfigMap observability/dashboard-istio-mesh key istio-mesh.json,"
                        + " k3d/configmap-dashboard-istio-mesh.yaml), variable namespace: datasource uid 'victoriametrics'"
                        + " is not a provisioned datasource [alertmanager, jaeger, loki, prometheus, tempo]");
    }

    private static KubeObject withJson(KubeObject configMap, String key, String json) {
        var body = new java.util.LinkedHashMap<>(configMap.body());
        body.put("data", java.util.Map.of(key, json));
        return new KubeObject(body, configMap.source());
    }

    private static String describe(List<Outcome> outcomes) {
        return outcomes.stream().map(o -> "  " + o.describe()).collect(Collectors.joining("\n"));
    }
}
