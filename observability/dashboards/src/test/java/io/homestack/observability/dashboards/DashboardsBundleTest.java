package io.homestack.observability.dashboards;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.prometheus.Dashboard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rendered bundle: what Grafana's sidecar and the prometheus-operator pick up, in both environments. */
class DashboardsBundleTest {

    private final BundleOutput output = BundleOutput.ofModule();

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theDashboardsForTheSidecarInTheObservabilityNamespace(String env) {
        List<Dashboard> dashboards = Dashboard.of(output.objects(env));

        assertThat(dashboards).extracting(Dashboard::title)
                .containsExactlyInAnyOrder("Cluster overview", "Home automation", "Istio mesh", "Media downloads",
                        "Namespace resources");
        assertThat(dashboards).allSatisfy(d -> {
            assertThat(d.configMap().namespace()).isEqualTo("observability");
            assertThat(d.json().path("uid").asText()).startsWith("homestack-");
        });
        assertThat(dashboards).extracting(d -> d.json().path("uid").asText()).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyQueryUsesAProvisionedDatasource(String env) {
        for (Dashboard d : Dashboard.of(output.objects(env))) {
            assertThat(d.unknownDatasources(Datasources.PROVISIONED)).as(d.describe()).isEmpty();
            assertThat(d.queries()).as(d.describe()).isNotEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void onePrometheusRuleInTheObservabilityNamespace(String env) {
        List<KubeObject> rules = output.objects(env, "PrometheusRule");

        assertThat(rules).extracting(KubeObject::describe).containsExactly("PrometheusRule observability/homestack-alerts");
        // Prometheus selects rules with no label required (prometheus-grafana): no `release` label needed
        assertThat(rules.get(0).labels()).doesNotContainKey("release");
    }
}
