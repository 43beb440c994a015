package io.homestack.observability.prometheusgrafana;

import io.homestack.bundle.BundleLog;
import io.homestack.bundle.hydrate.ChartSource;
import io.homestack.bundle.hydrate.HydratedBundle;
import io.homestack.bundle.hydrate.Hydrator;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.render.Kustomize;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.PinnedVersions;
import io.homestack.bundle.test.release.ReleaseHarness;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the rendered prometheus-grafana bundle (target/bundle/&lt;env&gt;) for both environments. */
class PrometheusGrafanaBundleTest {

    static final String NAMESPACE = "observability";
    static final String APPLICATION = "prometheus-grafana-kube-prometheus-stack";
    private static final String CHART_VERSION = "88.5.3";
    private static final String OPERATOR_VERSION = "v0.93.1";
    private static final String WAVE = "argocd.argoproj.io/sync-wave";
    private static final Path BUNDLE = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath()
            .normalize();
    private static final Path REPOSITORY = BUNDLE.resolve("../..").normalize();

    /** The contract's datasource uid -> address (docs/decisions.md, "Observability contract"). */
    private static final Map<String, String> DATASOURCES = Map.of(
            "prometheus", "http://prometheus.observability.svc:9090",
            "alertmanager", "http://alertmanager.observability.svc:9093",
            "loki", "http://loki.observability.svc:3100",
            "tempo", "http://tempo.observability.svc:3200",
            "jaeger", "http://jaeger.observability.svc:16686");

    private final BundleOutput output = BundleOutput.ofModule();

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theChartIsPinnedToTheReleaseWhoseOperatorCrdsTheEnvtestControlPlaneInstalls(String env) throws IOException {
        Map<String, Object> source = KubeObject.path(application(env).body(), "spec", "source");

        assertThat(source).containsEntry("repoURL", "https://prometheus-community.github.io/helm-charts")
                .containsEntry("chart", "kube-prometheus-stack").containsEntry("targetRevision", CHART_VERSION);
        assertThat(PinnedVersions.of("CRD_PROMETHEUS_OPERATOR_VERSION")).as("tooling/k8s-test-binaries/versions.env")
                .isEqualTo(OPERATOR_VERSION);
        assertThat(Files.readString(output.root().resolve(".homestack/bundle.json")))
                .as("the operator and its config reloader run at the chart's appVersion")
                .contains("quay.io/prometheus-operator/prometheus-operator:" + OPERATOR_VERSION)
                .contains("quay.io/prometheus-operator/prometheus-config-reloader:" + OPERATOR_VERSION)
                .contains("quay.io/prometheus/prometheus:v3.14.0").contains("quay.io/prometheus/alertmanager:v0.34.0");
        assertThat(KubeObject.path(application(env).body(), "spec", "destination")).containsEntry("namespace", NAMESPACE);
        assertThat(KubeObject.path(values(env), "crds")).containsEntry("enabled", true);
    }

    /**
     * Prometheus selects monitors, probes, scrape configs and rules of every namespace with no label: each selector
     * and namespace selector is an empty map (present: a null ruleSelector selects nothing), and the chart's
     * NilUsesHelmValues switches are off so it does not put its `release` label selector in their place.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void prometheusSelectsEveryMonitorAndRuleOfEveryNamespaceWithoutALabel(String env) {
        Map<String, Object> spec = KubeObject.path(values(env), "prometheus", "prometheusSpec");

        for (String kind : SelectedKinds.ALL) {
            assertThat(spec).as("%s: %sSelectorNilUsesHelmValues", env, kind)
                    .containsEntry(kind + "SelectorNilUsesHelmValues", false);
            assertThat(spec.get(kind + "Selector")).as("%s: %sSelector selects everything", env, kind)
                    .isEqualTo(Map.of());
            assertThat(spec.get(kind + "NamespaceSelector")).as("%s: %sNamespaceSelector: every namespace", env, kind)
                    .isEqualTo(Map.of());
        }
        assertThat(SelectedKinds.selects(spec, Map.of())).as("an object without any label is selected").isTrue();
        assertThat(SelectedKinds.selects(Map.of(), Map.of())).as("the chart's defaults want a release label").isFalse();
    }

    /**
     * The same, on the chart's own render of our values (hydrate), where the pinned chart is in charts.sh's cache:
     * the Prometheus resource has every selector, empty, and our Services select what the chart's Services select.
     */
    @Test
    void theChartRendersAPrometheusThatSelectsEverythingAndPodsOurServicesSelect(@TempDir Path work) {
        Path chart = ReleaseHarness.cacheDirectory("charts", "charts.sh").resolve("kube-prometheus-stack/" + CHART_VERSION);
        if (!Files.isDirectory(chart)) {
            String why = "NOT VERIFIED: chart kube-prometheus-stack " + CHART_VERSION + " is not in " + chart
                    + " (charts.sh cannot obtain it here, it says why); the selectors are checked on the values only";
            System.out.println("[prometheus-grafana] " + why);
            Assumptions.abort(why);
        }
        HydratedBundle hydrated = new Hydrator(ChartSource.directory(chart), BundleLog.SILENT)
                .hydrate(Bundle.load(BUNDLE), work);
        for (String env : List.of("k3d", "k3s")) {
            List<KubeObject> objects = hydrated.objects(env);
            Map<String, Object> spec = KubeObject.path(find(objects, "Prometheus", "kube-prometheus-stack-prometheus")
                    .body(), "spec");
            for (String kind : SelectedKinds.ALL) {
                assertThat(spec.get(kind + "Selector")).as("%s: rendered %sSelector", env, kind).isEqualTo(Map.of());
                assertThat(spec.get(kind + "NamespaceSelector")).as("%s: rendered %sNamespaceSelector", env, kind)
                        .isEqualTo(Map.of());
            }
            for (String name : List.of("prometheus", "alertmanager")) {
                assertThat(KubeObject.path(output.object(env, "Service", name).body(), "spec", "selector"))
                        .as("%s: Service %s selects the chart's pods", env, name)
                        .isEqualTo(KubeObject.path(find(objects, "Service", "kube-prometheus-stack-" + name).body(),
                                "spec", "selector"));
            }
        }
    }

    /** apps/media's ServiceMonitors carry no `release` label; our Prometheus selects them anyway. */
    @Test
    void mediasServiceMonitorsAreSelectedThoughTheyCarryNoReleaseLabel(@TempDir Path work) {
        Path media = REPOSITORY.resolve("apps/media");
        List<KubeObject> monitors = Kustomize.locate().build("media", media, media.resolve("manifests/k3d"), work)
                .stream().filter(o -> "ServiceMonitor".equals(o.kind())).toList();

        assertThat(monitors).extracting(KubeObject::name).containsExactlyInAnyOrder("nzbget", "sonarr", "radarr", "prowlarr");
        for (KubeObject monitor : monitors) {
            assertThat(monitor.labels()).as(monitor.describe()).doesNotContainKey("release");
            for (String env : List.of("k3d", "k3s")) {
                assertThat(SelectedKinds.selects(KubeObject.path(values(env), "prometheus", "prometheusSpec"),
                        "serviceMonitor", monitor.labels())).as("%s: %s", env, monitor.describe()).isTrue();
            }
            assertThat(SelectedKinds.selects(Map.of(), "serviceMonitor", monitor.labels()))
                    .as("with the chart's defaults %s would be ignored", monitor.describe()).isFalse();
        }
    }

    /** The contract addresses are our Services, selecting the pods the operator runs for the chart's resources. */
    @ParameterizedTest
    @CsvSource({"k3d,prometheus,9090", "k3s,prometheus,9090", "k3d,alertmanager,9093", "k3s,alertmanager,9093"})
    void prometheusAndAlertmanagerAnswerAtTheContractsAddresses(String env, String name, int port) {
        KubeObject service = output.object(env, "Service", name);
        Map<String, Object> spec = KubeObject.path(service.body(), "spec");
        String resource = values(env).get("fullnameOverride") + "-" + name; // the chart's custom resource name

        assertThat(service.namespace()).isEqualTo(NAMESPACE);
        assertThat(KubeObject.map(KubeObject.list(spec.get("ports")).get(0)))
                .containsEntry("port", port).containsEntry("targetPort", port);
        assertThat(KubeObject.map(spec.get("selector"))).containsEntry("app.kubernetes.io/name", name)
                .containsEntry("prometheus".equals(name) ? "operator.prometheus.io/name" : "alertmanager", resource);
        assertThat(DATASOURCES.get(name)).isEqualTo("http://" + name + "." + NAMESPACE + ".svc:" + port);
    }

    @Test
    void grafanaProvisionsTheContractsDatasourcesWithTraceLogMetricLinks() {
        Map<String, Object> grafana = KubeObject.path(values("k3d"), "grafana");
        Map<String, Object> sidecar = KubeObject.path(grafana, "sidecar", "datasources");
        List<Map<String, Object>> datasources = KubeObject.list(grafana.get("additionalDataSources")).stream()
                .map(KubeObject::map).toList();

        assertThat(sidecar).as("the chart's own datasources would use its service names").containsEntry("enabled", true)
                .containsEntry("defaultDatasourceEnabled", false);
        assertThat(KubeObject.path(sidecar, "alertmanager")).containsEntry("enabled", false);
        assertThat(datasources).extracting(d -> d.get("uid")).containsExactlyInAnyOrderElementsOf(DATASOURCES.keySet());
        for (Map<String, Object> datasource : datasources) {
            assertThat(datasource.get("url")).as("%s", datasource.get("uid"))
                    .isEqualTo(DATASOURCES.get(datasource.get("uid")));
            assertThat(datasource.get("type")).isEqualTo(datasource.get("uid"));
            assertThat(linkedUids(datasource.get("jsonData"))).as("%s links only to provisioned uids", datasource.get("uid"))
                    .isSubsetOf(DATASOURCES.keySet());
        }
        assertThat(datasources).filteredOn(d -> Boolean.TRUE.equals(d.get("isDefault"))).extracting(d -> d.get("uid"))
                .containsExactly("prometheus");

        Map<String, Object> prometheus = jsonData(datasources, "prometheus");
        assertThat(KubeObject.map(KubeObject.list(prometheus.get("exemplarTraceIdDestinations")).get(0)))
                .as("metric -> trace").containsEntry("datasourceUid", "tempo").containsEntry("name", "trace_id");
        assertThat(KubeObject.map(KubeObject.list(jsonData(datasources, "loki").get("derivedFields")).get(0)))
                .as("log -> trace").containsEntry("datasourceUid", "tempo")
                .containsEntry("url", "$${__value.raw}"); // Grafana expands $$ to a literal $ in provisioning files
        for (String traces : List.of("tempo", "jaeger")) {
            assertThat(KubeObject.path(jsonData(datasources, traces), "tracesToLogsV2")).as("%s: trace -> log", traces)
                    .containsEntry("datasourceUid", "loki");
            assertThat(KubeObject.path(jsonData(datasources, traces), "tracesToMetrics")).as("%s: trace -> metric", traces)
                    .containsEntry("datasourceUid", "prometheus");
        }
        assertThat(KubeObject.path(values("k3d"), "prometheus", "prometheusSpec").get("enableFeatures"))
                .as("exemplars are stored only with this feature").isEqualTo(List.of("exemplar-storage"));
    }

    @Test
    void grafanasSidecarLoadsDashboardConfigMapsLabelledForItInTheObservabilityNamespace() {
        Map<String, Object> dashboards = KubeObject.path(values("k3d"), "grafana", "sidecar", "dashboards");

        assertThat(dashboards).containsEntry("enabled", true).containsEntry("label", "grafana_dashboard")
                .containsEntry("labelValue", "1").containsEntry("searchNamespace", NAMESPACE);
        assertThat(KubeObject.path(values("k3d"), "grafana")).as("only our dashboards (observability/dashboards)")
                .containsEntry("defaultDashboardsEnabled", false);
        assertThat(KubeObject.path(values("k3d"), "defaultRules")).as("only our rules (observability/dashboards)")
                .containsEntry("create", false);
    }

    /** Grafana runs only where its admin Secret ships as a SealedSecret with the keys the chart reads. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void grafanaRunsOnlyWithItsSealedAdminSecretAndItsRoute(String env) {
        Map<String, Object> grafana = KubeObject.path(values(env), "grafana");
        boolean enabled = !Boolean.FALSE.equals(grafana.get("enabled"));
        List<KubeObject> sealed = output.objects(env, "SealedSecret");
        List<KubeObject> routes = output.objects(env, "VirtualService");

        assertThat(enabled).as("%s: Grafana", env).isEqualTo(env.equals("k3d")); // k3s: README "Enabling Grafana on k3s"
        if (!enabled) {
            assertThat(sealed).as("%s: nothing sealed for a Grafana that does not run", env).isEmpty();
            assertThat(routes).isEmpty();
            return;
        }
        Map<String, Object> admin = KubeObject.path(grafana, "admin");
        KubeObject secret = output.object(env, "SealedSecret", KubeObject.string(admin.get("existingSecret")));
        assertThat(secret.namespace()).isEqualTo(NAMESPACE);
        assertThat(KubeObject.path(secret.body(), "spec", "encryptedData"))
                .containsOnlyKeys(KubeObject.string(admin.get("userKey")), KubeObject.string(admin.get("passwordKey")));
        assertThat(grafana).doesNotContainKeys("adminPassword");

        KubeObject route = output.object(env, "VirtualService", "grafana");
        Map<String, Object> spec = KubeObject.path(route.body(), "spec");
        assertThat(spec.get("hosts")).isEqualTo(List.of("grafana.homestack.localhost"));
        assertThat(spec.get("gateways")).isEqualTo(List.of("istio-ingress/homestack-gateway"));
        Map<String, Object> destination = KubeObject.path(KubeObject.map(KubeObject.list(
                KubeObject.map(KubeObject.list(spec.get("http")).get(0)).get("route")).get(0)), "destination");
        assertThat(destination).as("the chart's Service is the fullnameOverride, port 80")
                .containsEntry("host", grafana.get("fullnameOverride") + "." + NAMESPACE + ".svc.cluster.local");
        assertThat(KubeObject.path(destination, "port")).containsEntry("number", 80);
        assertThat(KubeObject.path(grafana, "grafana.ini", "server"))
                .as("the route's host, through k3d's load balancer port").containsEntry("root_url",
                        "https://" + KubeObject.list(spec.get("hosts")).get(0) + ":8443");
    }

    @Test
    void k3dKeepsADayInMemoryAndK3sAMonthOnTheStandardClass() throws IOException {
        Map<String, Object> k3d = KubeObject.path(values("k3d"), "prometheus", "prometheusSpec");
        Map<String, Object> k3s = KubeObject.path(values("k3s"), "prometheus", "prometheusSpec");

        assertThat(k3d).containsEntry("retention", "1d").containsEntry("storageSpec", Map.of());
        assertThat(k3s).containsEntry("retention", "30d");
        for (Map<String, Object> spec : List.of(k3s, KubeObject.path(values("k3s"), "alertmanager", "alertmanagerSpec"))) {
            Map<String, Object> claim = KubeObject.path(spec, spec.containsKey("storageSpec") ? "storageSpec" : "storage",
                    "volumeClaimTemplate", "spec");
            assertThat(claim).as("node-local disk: Prometheus's TSDB is not supported on NFS")
                    .containsEntry("storageClassName", "standard");
            assertThat(storageClasses()).contains(KubeObject.string(claim.get("storageClassName")));
        }
    }

    /** Istio's proxies on the merged port istiod turns on, and istiod's own port: both plain HTTP under STRICT mTLS. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void istioProxiesAreScrapedOnTheMergedPortAndIstiodOnItsMonitoringPort(String env) throws IOException {
        Map<String, Object> pods = KubeObject.path(output.object(env, "PodMonitor", "istio-proxies").body(), "spec");
        Map<String, Object> endpoint = KubeObject.map(KubeObject.list(pods.get("podMetricsEndpoints")).get(0));

        assertThat(KubeObject.path(pods, "namespaceSelector")).containsEntry("any", true);
        assertThat(endpoint).containsEntry("port", "http-envoy-prom").containsEntry("path", "/stats/prometheus");
        assertThat(KubeObject.list(endpoint.get("relabelings"))).extracting(r -> KubeObject.map(r).get("replacement"))
                .contains("$1:15020", "[$1]:15020");
        Map<String, Object> istiod = Yaml.readMap(Files.readString(REPOSITORY.resolve("platform/istio/values/istiod.yaml")), "istiod.yaml");
        assertThat(KubeObject.path(istiod, "meshConfig")).as("platform/istio merges app and proxy metrics on 15020")
                .containsEntry("enablePrometheusMerge", true);

        Map<String, Object> control = KubeObject.path(output.object(env, "ServiceMonitor", "istiod").body(), "spec");
        assertThat(KubeObject.path(control, "namespaceSelector")).containsEntry("matchNames", List.of("istio-system"));
        assertThat(KubeObject.map(KubeObject.list(control.get("endpoints")).get(0))).containsEntry("port", "http-monitoring");
    }

    /** The chart's Application brings the monitoring CRDs (wave 0); our custom resources follow. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void monitorsSyncAfterTheChartThatInstallsTheirCrds(String env) {
        assertThat(application(env).annotations().get(WAVE)).isNull();
        assertThat(output.objects(env)).filteredOn(o -> o.apiVersion().startsWith("monitoring.coreos.com/"))
                .hasSize(2).allSatisfy(o -> assertThat(o.annotations()).containsEntry(WAVE, "1")
                        .containsEntry("argocd.argoproj.io/sync-options", "SkipDryRunOnMissingResource=true"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theNamespaceIsOutsideTheMeshAndPrivilegedForNodeExporter(String env) {
        assertThat(output.object(env, "Namespace", NAMESPACE).labels()).containsEntry("istio-injection", "disabled")
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged")
                .containsEntry("pod-security.kubernetes.io/warn", "baseline");
    }

    // --- helpers ---

    private KubeObject application(String env) {
        return output.object(env, "Application", APPLICATION);
    }

    private Map<String, Object> values(String env) {
        return KubeObject.path(application(env).body(), "spec", "source", "helm", "valuesObject");
    }

    private static KubeObject find(List<KubeObject> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.kind()) && name.equals(o.name())).findFirst()
                .orElseThrow(() -> new AssertionError("the chart renders no " + kind + " " + name));
    }

    private static Map<String, Object> jsonData(List<Map<String, Object>> datasources, String uid) {
        return datasources.stream().filter(d -> uid.equals(d.get("uid"))).findFirst()
                .map(d -> KubeObject.map(d.get("jsonData"))).orElseThrow();
    }

    /** Every datasourceUid anywhere under a datasource's jsonData. */
    private static Set<String> linkedUids(Object node) {
        Set<String> uids = new HashSet<>();
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if ("datasourceUid".equals(k)) {
                    uids.add(String.valueOf(v));
                }
                uids.addAll(linkedUids(v));
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> uids.addAll(linkedUids(v)));
        }
        return uids;
    }

    /** StorageClass names platform/storage defines (its manifests, any environment). */
    private static Set<String> storageClasses() throws IOException {
        Set<String> names = new HashSet<>();
        try (var files = Files.walk(REPOSITORY.resolve("platform/storage/manifests"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("storageclass-")).toList()) {
                Map<String, Object> object = Yaml.readMap(Files.readString(file), file.toString());
                names.add(KubeObject.string(KubeObject.path(object, "metadata").get("name")));
            }
        }
        return names;
    }
}
