package io.homestack.observability.prometheusgrafana;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3d bundle as built, applied to envtest with strict field validation against the prometheus-operator v0.93.1 and
 * Istio CRDs: the monitors and the route are accepted field for field, and the real sealed-secrets controller opens
 * Grafana's admin SealedSecret into the keys the chart reads.
 */
@HomestackCluster(topology = "k3d")
class PrometheusGrafanaK3dIT {

    @Test
    void theOwnObjectsApplyAndGrafanasAdminSecretIsUnsealed(TestCluster cluster) {
        BundleOutput output = BundleOutput.ofModule();
        cluster.apply(output, "k3d");

        assertThatCluster(cluster).hasSecretUnsealed(PrometheusGrafanaBundleTest.NAMESPACE, "grafana-admin");
        Map<String, String> data = cluster.client().secrets().inNamespace(PrometheusGrafanaBundleTest.NAMESPACE)
                .withName("grafana-admin").get().getData();
        assertThat(data).containsOnlyKeys("admin-user", "admin-password");
        data.forEach((key, value) -> assertThat(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8))
                .as(key).isNotBlank());

        Map<String, Object> live = cluster.client().genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
                .inNamespace(PrometheusGrafanaBundleTest.NAMESPACE).withName("istio-proxies").get()
                .getAdditionalProperties();
        Map<String, Object> endpoint = KubeObject.map(KubeObject.list(KubeObject.path(live, "spec")
                .get("podMetricsEndpoints")).get(0));
        assertThat(KubeObject.list(endpoint.get("relabelings"))).as("kept by the CRD's schema").hasSize(3);
        assertThatCluster(cluster)
                .hasObject("monitoring.coreos.com/v1", "ServiceMonitor", PrometheusGrafanaBundleTest.NAMESPACE, "istiod")
                .hasObject("networking.istio.io/v1", "VirtualService", PrometheusGrafanaBundleTest.NAMESPACE, "grafana");
        for (String service : List.of("prometheus", "alertmanager")) {
            assertThatCluster(cluster).hasObject("v1", "Service", PrometheusGrafanaBundleTest.NAMESPACE, service);
        }
    }
}
