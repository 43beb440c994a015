package io.homestack.platform.istio;

import io.homestack.bundle.BundleLog;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.BundleDescriptor;
import io.homestack.bundle.model.BundleDescriptorReader;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.bundle.render.ArgoCd;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.RepositoryBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the rendered istio bundle (target/bundle/&lt;env&gt;) for both environments, and its default-deny component. */
class IstioBundleTest {

    private static final List<String> ENVIRONMENTS = List.of("k3d", "k3s");
    private static final String ROOT_NAMESPACE = "istio-system";
    private static final String INGRESS_GATEWAY = "cluster.local/ns/istio-ingress/sa/istio-ingressgateway";
    private static final String PROMETHEUS = "cluster.local/ns/observability/sa/kube-prometheus-stack-prometheus";

    private final BundleOutput output = BundleOutput.ofModule();
    private final Path bundleDir = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();
    private final Path repository = bundleDir.getParent().getParent();

    // --- versions ---

    @Test
    void everyChartIsTheIstioReleaseWhoseCrdsTheTestControlPlaneInstalls() throws IOException {
        String release = crdIstioVersion().replaceFirst("^v", "");
        BundleDescriptor descriptor = descriptor();

        assertThat(descriptor.charts()).extracting(ChartSpec::chartName).containsExactly("base", "istiod", "cni");
        assertThat(descriptor.charts()).allSatisfy(chart -> {
            assertThat(chart.version()).as("%s: exact, and the release of CRD_ISTIO_VERSION", chart.name())
                    .isEqualTo(release);
            assertThat(chart.repository()).as("Istio publishes 1.31+ charts only here")
                    .isEqualTo("https://blob.istio.io/istio-release/charts");
            assertThat(chart.namespace()).isEqualTo(ROOT_NAMESPACE);
            assertThat(chart.environments()).as("every environment gets every chart").isEmpty();
            assertThat(chart.images()).allSatisfy(image -> assertThat(image)
                    .as("images of one Istio release, from Docker Hub").startsWith("docker.io/istio/")
                    .endsWith(":" + release));
        });
        for (String env : ENVIRONMENTS) {
            for (String chart : List.of("base", "istiod", "cni")) {
                assertThat(source(application(env, chart)).get("targetRevision")).as("%s in %s", chart, env)
                        .isEqualTo(release);
            }
            for (String chart : List.of("istiod", "cni")) {
                Map<String, Object> global = KubeObject.path(values(env, chart), "global");
                assertThat(global).as("%s pins the images it runs", chart).containsEntry("hub", "docker.io/istio")
                        .containsEntry("tag", release);
            }
        }
    }

    @Test
    void theHelmReleasesHaveTheNamesIstioDocumentsAndTheBundleOwnsIstioSystem() {
        assertThat(descriptor().namespaces()).containsExactly(ROOT_NAMESPACE);
        for (String env : ENVIRONMENTS) {
            assertThat(helm(application(env, "base")).get("releaseName")).isEqualTo("istio-base");
            assertThat(helm(application(env, "istiod")).get("releaseName")).isEqualTo("istiod");
            assertThat(helm(application(env, "cni")).get("releaseName")).isEqualTo("istio-cni");
            assertThat(output.objects(env, "Application")).allSatisfy(app -> {
                assertThat(KubeObject.path(app.body(), "spec", "destination")).containsEntry("namespace", ROOT_NAMESPACE);
                assertThat(KubeObject.path(app.body(), "spec").get("project")).isEqualTo("platform");
            });
        }
    }

    // --- security ---

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void mutualTlsIsStrictMeshWideAndNothingInTheBundleRelaxesIt(String env) {
        List<KubeObject> peerAuthentications = output.objects(env, "PeerAuthentication");

        assertThat(peerAuthentications).hasSize(1);
        KubeObject mesh = peerAuthentications.get(0);
        assertThat(mesh.namespace()).as("the root namespace makes it mesh-wide").isEqualTo(ROOT_NAMESPACE);
        assertThat(spec(mesh)).as("no selector: every workload").doesNotContainKeys("selector", "portLevelMtls");
        assertThat(KubeObject.path(spec(mesh), "mtls")).containsEntry("mode", "STRICT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void sidecarsNeedNoPrivilegedInitContainerBecauseTheCniAgentRedirectsTraffic(String env) {
        assertThat(KubeObject.path(values(env, "istiod"), "cni")).containsEntry("enabled", true);
        assertThat(KubeObject.path(values(env, "cni"), "global")).as("the CNI directories of k3s/k3d")
                .containsEntry("platform", env);
        assertThat(KubeObject.path(values(env, "istiod"), "global")).containsEntry("platform", env);

        KubeObject namespace = output.object(env, "Namespace", ROOT_NAMESPACE);
        assertThat(namespace.labels()).as("the control plane is not meshed; the CNI DaemonSet is privileged")
                .containsEntry("istio-injection", "disabled")
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theValidationWebhookIsRenderedAsIstiodLeavesItSoArgoCdSeesNoDiff(String env) {
        for (String chart : List.of("base", "istiod")) {
            assertThat(KubeObject.path(values(env, chart), "base")).as(chart)
                    .containsEntry("validationFailurePolicy", "Fail");
        }
    }

    // --- telemetry ---

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void meshTelemetryHasPrometheusMetricsOpenTelemetryTracingAndJsonAccessLogs(String env) {
        KubeObject telemetry = output.object(env, "Telemetry", "mesh-default");
        assertThat(telemetry.apiVersion()).isEqualTo("telemetry.istio.io/v1");
        assertThat(telemetry.namespace()).isEqualTo(ROOT_NAMESPACE);
        assertThat(spec(telemetry)).as("mesh-wide").doesNotContainKeys("selector", "targetRef", "targetRefs");

        assertThat(providers(telemetry, "metrics")).containsExactly("prometheus");
        assertThat(providers(telemetry, "accessLogging")).containsExactly("envoy");
        assertThat(providers(telemetry, "tracing")).containsExactly("otel-tracing");

        Map<String, Object> mesh = KubeObject.path(values(env, "istiod"), "meshConfig");
        Map<String, Object> otel = KubeObject.list(mesh.get("extensionProviders")).stream().map(KubeObject::map)
                .filter(p -> "otel-tracing".equals(p.get("name"))).findFirst()
                .map(p -> KubeObject.path(p, "opentelemetry"))
                .orElseThrow(() -> new AssertionError("meshConfig defines no extension provider otel-tracing"));
        assertThat(otel).as("the OTLP gRPC port of observability/tracing's collector")
                .containsEntry("service", "otel-collector.observability.svc.cluster.local")
                .containsEntry("port", 4317);
        assertThat(mesh).as("what the built-in envoy access log provider writes")
                .containsEntry("accessLogFile", "/dev/stdout")
                .containsEntry("accessLogEncoding", "JSON")
                .containsEntry("enableTracing", true);
    }

    @ParameterizedTest
    @CsvSource({"k3d, 100", "k3s, 10"})
    void k3dTracesEveryRequestAndK3sASample(String env, int percent) {
        Map<String, Object> tracing = KubeObject.map(KubeObject.list(spec(output.object(env, "Telemetry", "mesh-default"))
                .get("tracing")).get(0));

        assertThat(tracing.get("randomSamplingPercentage")).isEqualTo(percent);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void meshPoliciesSyncAfterTheChartsThatBringTheirCrdsAndWebhook(String env) {
        for (KubeObject object : output.objects(env)) {
            if (object.apiVersion().contains("istio.io/")) {
                assertThat(object.annotations()).as(object.describe())
                        .containsEntry(ArgoCd.SYNC_WAVE, "1")
                        .containsEntry("argocd.argoproj.io/sync-options", "SkipDryRunOnMissingResource=true");
            }
        }
        assertThat(output.objects(env, "Application")).allSatisfy(app ->
                assertThat(app.annotations()).as("charts in the default wave 0").doesNotContainKey(ArgoCd.SYNC_WAVE));
    }

    // --- sizes ---

    @Test
    void k3dRunsOneSmallIstiodAndK3sTwoSpreadOverNodes() {
        Map<String, Object> k3d = values("k3d", "istiod");
        Map<String, Object> k3s = values("k3s", "istiod");

        assertThat(k3d).containsEntry("autoscaleEnabled", false).containsEntry("replicaCount", 1);
        assertThat(KubeObject.path(k3d, "global", "defaultPodDisruptionBudget")).containsEntry("enabled", false);
        assertThat(k3s).containsEntry("autoscaleEnabled", false).containsEntry("replicaCount", 2);
        assertThat(KubeObject.path(k3s, "global")).doesNotContainKey("defaultPodDisruptionBudget");
        assertThat(KubeObject.path(k3s, "affinity", "podAntiAffinity")).isNotEmpty();
        assertThat(KubeObject.path(k3d, "resources", "requests")).containsEntry("memory", "256Mi");
        assertThat(KubeObject.path(k3s, "resources", "requests")).containsEntry("memory", "512Mi");
        for (Map<String, Object> values : List.of(k3d, k3s)) {
            assertThat(KubeObject.path(values, "resources", "limits")).containsKey("memory");
            assertThat(KubeObject.path(values, "global", "proxy", "resources", "limits")).containsKey("memory");
        }
    }

    // --- the default-deny component, and the app bundles that must include it ---

    @Test
    void theDefaultDenyComponentDeniesEverythingButTheIngressGatewayAndPrometheusScrapes(@TempDir Path work)
            throws IOException {
        // Inside the repository, as every bundle that uses a shared component is: the build reads nothing outside it.
        Path app = bundleDir.resolve("target/test-bundles").resolve(work.getFileName()).resolve("demo");
        Files.createDirectories(app.resolve("manifests/base"));
        Files.writeString(app.resolve("bundle.yaml"), "name: demo\ngroup: workloads\n");
        Files.writeString(app.resolve("manifests/base/namespace.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: demo
                  labels:
                    istio-injection: enabled
                    pod-security.kubernetes.io/enforce: baseline
                """);
        Files.writeString(app.resolve("manifests/base/kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: demo
                resources:
                  - namespace.yaml
                components:
                  - %s
                """.formatted(app.resolve("manifests/base").relativize(bundleDir.resolve("components/default-deny"))));

        List<KubeObject> objects = new BundleRenderer(BundleLog.SILENT).render(Bundle.load(app), work.resolve("render"))
                .objects("k3d");

        assertThat(objects).filteredOn(o -> "AuthorizationPolicy".equals(o.kind()))
                .extracting(KubeObject::name)
                .containsExactlyInAnyOrder("default-deny", "allow-ingress-gateway", "allow-prometheus");
        assertDeniedByDefault(objects, "demo");

        KubeObject prometheus = find(objects, "AuthorizationPolicy", "demo", "allow-prometheus").orElseThrow();
        Map<String, Object> rule = KubeObject.map(KubeObject.list(spec(prometheus).get("rules")).get(0));
        assertThat(principals(rule)).containsExactly(PROMETHEUS);
        Map<String, Object> operation = KubeObject.path(KubeObject.map(KubeObject.list(rule.get("to")).get(0)),
                "operation");
        assertThat(KubeObject.list(operation.get("methods"))).as("scrapes read").containsExactly("GET");
        assertThat(KubeObject.list(operation.get("paths"))).contains("/metrics");
        assertThat(operation).as("metrics ports differ per app").doesNotContainKey("ports");
    }

    @Test
    void everyAppNamespaceIsDeniedByDefault(@TempDir Path work) throws IOException {
        List<Path> apps = workloadBundles();
        assertThat(apps).as("the workload bundles of the repository").extracting(p -> p.getFileName().toString())
                .contains("media");

        for (Path app : apps) {
            Bundle bundle = Bundle.load(app);
            var rendered = new BundleRenderer(BundleLog.SILENT).render(bundle, work.resolve(bundle.name()));
            for (String env : bundle.descriptor().environments()) {
                List<KubeObject> objects = rendered.objects(env);
                List<String> namespaces = objects.stream().filter(o -> "Namespace".equals(o.kind()))
                        .map(KubeObject::name).toList();
                assertThat(namespaces).as("%s creates its namespaces (%s)", bundle.name(), env).isNotEmpty();
                namespaces.forEach(ns -> assertDeniedByDefault(objects, ns));
            }
        }
    }

    // --- helpers ---

    /** The namespace has the allow-nothing policy, and the gateway may reach it. */
    private static void assertDeniedByDefault(List<KubeObject> objects, String namespace) {
        KubeObject deny = find(objects, "AuthorizationPolicy", namespace, "default-deny")
                .orElseThrow(() -> new AssertionError("namespace " + namespace + " has no default-deny"
                        + " AuthorizationPolicy (include platform/istio/components/default-deny)"));
        assertThat(deny.apiVersion()).isEqualTo("security.istio.io/v1");
        assertThat(spec(deny)).as("allow-nothing: no selector, no rules, action ALLOW").isEmpty();

        KubeObject gateway = find(objects, "AuthorizationPolicy", namespace, "allow-ingress-gateway").orElseThrow();
        assertThat(spec(gateway)).containsEntry("action", "ALLOW").doesNotContainKey("selector");
        List<Object> rules = KubeObject.list(spec(gateway).get("rules"));
        assertThat(rules).hasSize(1);
        Map<String, Object> rule = KubeObject.map(rules.get(0));
        assertThat(principals(rule)).containsExactly(INGRESS_GATEWAY);
        assertThat(rule).as("the VirtualServices decide what the gateway reaches").doesNotContainKey("to");

        assertThat(objects).filteredOn(o -> "AuthorizationPolicy".equals(o.kind()) && namespace.equals(o.namespace()))
                .as("nothing in %s opens it to everyone", namespace)
                .allSatisfy(policy -> assertThat(spec(policy).get("action")).isNotIn("AUDIT", "CUSTOM"))
                .allSatisfy(policy -> KubeObject.list(spec(policy).get("rules")).forEach(r -> assertThat(
                        KubeObject.map(r)).as("%s: a rule without a source allows anyone", policy.describe())
                        .containsKey("from")));
    }

    private static List<String> principals(Map<String, Object> rule) {
        return KubeObject.list(rule.get("from")).stream()
                .flatMap(f -> KubeObject.list(KubeObject.path(KubeObject.map(f), "source").get("principals")).stream())
                .map(KubeObject::string).toList();
    }

    private static Optional<KubeObject> find(List<KubeObject> objects, String kind, String namespace, String name) {
        return objects.stream().filter(o -> kind.equals(o.kind()) && namespace.equals(o.namespace())
                && name.equals(o.name())).findFirst();
    }

    private List<Path> workloadBundles() {
        return RepositoryBundles.all(repository).stream()
                .filter(p -> "workloads".equals(new BundleDescriptorReader().read(p.resolve(Bundle.DESCRIPTOR)).group()))
                .toList();
    }

    private BundleDescriptor descriptor() {
        return new BundleDescriptorReader().read(bundleDir.resolve(Bundle.DESCRIPTOR));
    }

    private String crdIstioVersion() throws IOException {
        Path env = repository.resolve("tooling/k8s-test-binaries/versions.env");
        return Files.readAllLines(env).stream().map(String::strip).filter(l -> l.startsWith("CRD_ISTIO_VERSION="))
                .map(l -> l.substring(l.indexOf('=') + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no CRD_ISTIO_VERSION in " + env));
    }

    private KubeObject application(String env, String chart) {
        return output.object(env, "Application", "istio-" + chart);
    }

    private static Map<String, Object> source(KubeObject application) {
        return KubeObject.path(application.body(), "spec", "source");
    }

    private static Map<String, Object> helm(KubeObject application) {
        return KubeObject.path(source(application), "helm");
    }

    private Map<String, Object> values(String env, String chart) {
        return KubeObject.path(helm(application(env, chart)), "valuesObject");
    }

    private static Map<String, Object> spec(KubeObject object) {
        return KubeObject.path(object.body(), "spec");
    }

    private static List<String> providers(KubeObject telemetry, String section) {
        return KubeObject.list(spec(telemetry).get(section)).stream()
                .flatMap(s -> KubeObject.list(KubeObject.map(s).get("providers")).stream())
                .map(p -> KubeObject.string(KubeObject.map(p).get("name"))).toList();
    }
}
