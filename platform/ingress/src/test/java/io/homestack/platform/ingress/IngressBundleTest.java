package io.homestack.platform.ingress;

import io.homestack.bundle.BundleLog;
import io.homestack.bundle.inventory.Inventory;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.BundleDescriptor;
import io.homestack.bundle.model.BundleDescriptorReader;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.render.RenderedBundle;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.RepositoryBundles;
import io.homestack.bundle.validate.Validator;
import io.homestack.bundle.validate.Violation;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the rendered ingress bundle for both environments, and the VirtualService pattern the apps use. */
class IngressBundleTest {

    private static final List<String> ENVIRONMENTS = List.of("k3d", "k3s");
    private static final String NAMESPACE = "istio-ingress";
    private static final String GATEWAY = "homestack-gateway";
    private static final Map<String, String> DOMAINS = Map.of("k3d", "homestack.localhost", "k3s", "home.example.net");

    private final BundleOutput output = BundleOutput.ofModule();
    private final Path bundleDir = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();
    private final Path repository = bundleDir.getParent().getParent();

    // --- the gateway chart ---

    @Test
    void theGatewayChartIsTheIstioReleaseOfPlatformIstio() {
        ChartSpec gateway = descriptor(bundleDir).charts().get(0);
        List<ChartSpec> istio = descriptor(repository.resolve("platform/istio")).charts();

        assertThat(descriptor(bundleDir).charts()).hasSize(1);
        assertThat(gateway.chartName()).isEqualTo("gateway");
        assertThat(istio).allSatisfy(chart -> {
            assertThat(gateway.version()).as("one Istio release for control plane and gateway").isEqualTo(chart.version());
            assertThat(gateway.repository()).isEqualTo(chart.repository());
        });
        assertThat(gateway.images()).containsExactly("docker.io/istio/proxyv2:" + gateway.version());
        for (String env : ENVIRONMENTS) {
            assertThat(source(env).get("targetRevision")).isEqualTo(gateway.version());
            assertThat(KubeObject.path(application(env).body(), "spec", "destination"))
                    .containsEntry("namespace", NAMESPACE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theGatewayIsALoadBalancerOnPorts80And443(String env) {
        Map<String, Object> service = KubeObject.path(values(env), "service");

        assertThat(service.get("type")).isEqualTo("LoadBalancer");
        Map<Object, Object> ports = new java.util.HashMap<>();
        KubeObject.list(service.get("ports")).stream().map(KubeObject::map)
                .forEach(p -> ports.put(p.get("port"), p.get("targetPort")));
        assertThat(ports).as("k3d's load balancer maps host 8080->80 and 8443->443")
                .containsEntry(80, 80).containsEntry(443, 443);
        assertThat(KubeObject.path(values(env), "autoscaling")).containsEntry("enabled", false);
    }

    @Test
    void theGatewayServiceAccountIsThePrincipalTheAppsDefaultDenyComponentAllows() throws IOException {
        String release = KubeObject.string(KubeObject.path(source("k3d"), "helm").get("releaseName"));
        String component = Files.readString(repository.resolve(
                "platform/istio/components/default-deny/authorizationpolicy-allow-ingress-gateway.yaml"));

        assertThat(release).isEqualTo("istio-ingressgateway");
        assertThat(KubeObject.path(values("k3d"), "serviceAccount")).as("the chart names the account after the release")
                .doesNotContainKey("name");
        assertThat(component).contains("cluster.local/ns/" + NAMESPACE + "/sa/" + release);
        assertThat(KubeObject.path(spec(gateway("k3d")), "selector")).as("the chart's pod label: release minus istio-")
                .containsExactly(Map.entry("istio", release.substring("istio-".length())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theGatewayPodMeetsRestrictedInANamespaceThatEnforcesBaseline(String env) {
        Map<String, Object> context = KubeObject.path(values(env), "securityContext");
        assertThat(KubeObject.path(context, "seccompProfile")).containsEntry("type", "RuntimeDefault");
        assertThat(KubeObject.list(context.get("sysctls"))).as("lets the non-root proxy bind 80 and 443")
                .containsExactly(Map.of("name", "net.ipv4.ip_unprivileged_port_start", "value", "0"));

        assertThat(output.object(env, "Namespace", NAMESPACE).labels())
                .containsEntry("istio-injection", "enabled")
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted");
    }

    @Test
    void k3dRunsOneGatewayAndK3sTwoThatADrainCannotBothTake() {
        assertThat(values("k3d")).containsEntry("replicaCount", 1).doesNotContainKey("podDisruptionBudget");
        assertThat(values("k3s")).containsEntry("replicaCount", 2);
        assertThat(KubeObject.path(values("k3s"), "podDisruptionBudget")).containsEntry("minAvailable", 1);
        assertThat(KubeObject.path(values("k3s"), "affinity", "podAntiAffinity")).isNotEmpty();
        for (String env : ENVIRONMENTS) {
            assertThat(KubeObject.path(values(env), "resources", "limits")).as(env).containsKey("memory");
        }
    }

    // --- Gateway and certificate ---

    @ParameterizedTest
    @CsvSource({"k3d, homestack.localhost", "k3s, home.example.net"})
    void theGatewayRedirectsHttpToHttps(String env, String domain) {
        Map<String, Object> http = server(env, 80);

        assertThat(KubeObject.path(http, "port")).containsEntry("protocol", "HTTP");
        assertThat(KubeObject.list(http.get("hosts"))).containsExactly("*." + domain);
        assertThat(KubeObject.path(http, "tls")).as("only a redirect, no routes served in plain HTTP")
                .containsExactly(Map.entry("httpsRedirect", true));
    }

    @ParameterizedTest
    @CsvSource({"k3d, homestack.localhost", "k3s, home.example.net"})
    void theGatewayServesTlsWithTheWildcardCertificateOfTheHomestackCa(String env, String domain) {
        Map<String, Object> https = server(env, 443);
        KubeObject certificate = output.object(env, "Certificate", "homestack-wildcard");

        assertThat(KubeObject.path(https, "port")).containsEntry("protocol", "HTTPS");
        assertThat(KubeObject.list(https.get("hosts"))).containsExactly("*." + domain);
        Map<String, Object> tls = KubeObject.path(https, "tls");
        assertThat(tls).containsEntry("mode", "SIMPLE").containsEntry("minProtocolVersion", "TLSV1_2");

        assertThat(certificate.apiVersion()).isEqualTo("cert-manager.io/v1");
        assertThat(certificate.namespace()).as("the gateway reads the secret from its own namespace").isEqualTo(NAMESPACE);
        assertThat(tls.get("credentialName")).isEqualTo(spec(certificate).get("secretName"));
        assertThat(KubeObject.list(spec(certificate).get("dnsNames"))).containsExactly("*." + domain);
        assertThat(KubeObject.path(spec(certificate), "issuerRef")).containsEntry("kind", "ClusterIssuer")
                .containsEntry("name", "homestack-ca").containsEntry("group", "cert-manager.io");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theBundleHoldsOnlyTheGatewayItsCertificateAndNamespaceBesideTheChart(String env) {
        assertThat(output.objects(env)).extracting(o -> o.kind() + "/" + o.name()).containsExactlyInAnyOrder(
                "Namespace/" + NAMESPACE, "Certificate/homestack-wildcard", "Gateway/" + GATEWAY,
                "Application/ingress-gateway", "VirtualService/argocd");
        assertThat(output.objects(env)).as("the build-time domain ConfigMap is not shipped")
                .noneMatch(o -> "ConfigMap".equals(o.kind()));
        assertThat(gateway(env).namespace()).isEqualTo(NAMESPACE);
    }

    /** Argo CD (wave 0, before Istio's CRDs exist) cannot ship a VirtualService; its UI is routed from here. */
    @ParameterizedTest
    @CsvSource({"k3d, homestack.localhost", "k3s, home.example.net"})
    void argoCdsUiIsRoutedFromHereToItsPlainHttpServer(String env, String domain) {
        KubeObject vs = output.object(env, "VirtualService", "argocd");

        assertThat(KubeObject.list(spec(vs).get("gateways"))).containsExactly(NAMESPACE + "/" + GATEWAY);
        assertThat(KubeObject.list(spec(vs).get("hosts"))).containsExactly("argocd." + domain);
        Map<String, Object> destination = KubeObject.path(KubeObject.map(KubeObject.list(KubeObject.map(
                KubeObject.list(spec(vs).get("http")).get(0)).get("route")).get(0)), "destination");
        assertThat(destination).containsEntry("host", "argocd-server.argocd.svc.cluster.local");
        assertThat(KubeObject.path(destination, "port")).containsEntry("number", 80);
    }

    // --- the components every app uses ---

    @Test
    void theK3dDomainIsDefinedOnceInItsDomainComponent() throws IOException {
        String component = Files.readString(bundleDir.resolve("components/domain/k3d/kustomization.yaml"));

        assertThat(component).contains("- domain=" + DOMAINS.get("k3d"));
        assertThat(component).contains("config.kubernetes.io/local-config: \"true\"");
    }

    /** k3s: the domain is `domain` of the inventory, with the registry and the NAS (one file for the home cluster). */
    @Test
    void theK3sDomainComesFromTheInventory() throws IOException {
        String component = Files.readString(bundleDir.resolve("components/domain/k3s/kustomization.yaml"));
        Inventory inventory = Inventory.read(bundleDir.resolve("../../clusters/k3s/inventory.yaml").normalize());

        assertThat(inventory.domain()).contains(DOMAINS.get("k3s"));
        assertThat(component).contains("fieldPath: domain").doesNotContain("- domain=" + DOMAINS.get("k3s"));
        assertThat(component).contains("config.kubernetes.io/local-config: \"true\"");
    }

    @ParameterizedTest
    @CsvSource({"k3d, homestack.localhost", "k3s, home.example.net"})
    void theVirtualServiceComponentPutsAnAppOnTheGatewayAndItsDomainAndSatisfiesThePolicy(String env, String domain,
                                                                                           @TempDir Path work)
            throws IOException {
        Path app = demoApp(work, env, true);

        RenderedBundle rendered = new BundleRenderer(BundleLog.SILENT).render(Bundle.load(app), work.resolve("render"));
        KubeObject vs = rendered.objects(env).stream().filter(o -> "VirtualService".equals(o.kind())).findFirst()
                .orElseThrow();

        assertThat(vs.namespace()).isEqualTo("demo");
        assertThat(KubeObject.list(spec(vs).get("gateways"))).containsExactly(NAMESPACE + "/" + GATEWAY);
        assertThat(KubeObject.list(spec(vs).get("hosts"))).containsExactly("web." + domain);
        assertThat(rendered.objects(env)).as("the domain ConfigMap is build-time only")
                .noneMatch(o -> "ConfigMap".equals(o.kind()));
        assertThat(new Validator().violations(rendered)).isEmpty();
    }

    @Test
    void withoutTheComponentTheSameAppFailsTheExposedHttpServicePolicy(@TempDir Path work) throws IOException {
        Path app = demoApp(work, "k3d", false);

        List<Violation> violations = new Validator().violations(
                new BundleRenderer(BundleLog.SILENT).render(Bundle.load(app), work.resolve("render")));

        assertThat(violations).extracting(Violation::rule).containsExactly("exposed-http-service");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyAppVirtualServiceIsOnTheGatewayWithAHostOnTheEnvironmentsDomain(String env, @TempDir Path work)
            throws IOException {
        List<Path> apps = workloadBundles();
        assertThat(apps).extracting(p -> p.getFileName().toString()).contains("media");

        for (Path app : apps) {
            Bundle bundle = Bundle.load(app);
            List<KubeObject> services = new BundleRenderer(BundleLog.SILENT).render(bundle, work.resolve(bundle.name()))
                    .objects(env).stream().filter(o -> "VirtualService".equals(o.kind())).toList();
            assertThat(services).allSatisfy(vs -> {
                assertThat(KubeObject.list(spec(vs).get("gateways"))).as("%s %s", bundle.name(), vs.describe())
                        .containsExactly(NAMESPACE + "/" + GATEWAY);
                assertThat(KubeObject.list(spec(vs).get("hosts"))).as("%s %s", bundle.name(), vs.describe())
                        .isNotEmpty().allSatisfy(host -> assertThat(host.toString()).endsWith("." + DOMAINS.get(env)));
            });
        }
    }

    // --- helpers ---

    /** A one-Service app bundle whose k3d/k3s overlays use the ingress components (or, without them, nothing). */
    private Path demoApp(Path work, String env, boolean withComponent) throws IOException {
        // Inside the repository, as every bundle that uses a shared component is: the build reads nothing outside it.
        Path app = bundleDir.resolve("target/test-bundles").resolve(work.getFileName()).resolve("demo");
        Path base = Files.createDirectories(app.resolve("manifests/base"));
        Path overlay = Files.createDirectories(app.resolve("manifests/" + env));
        Files.writeString(app.resolve("bundle.yaml"), "name: demo\ngroup: workloads\nenvironments: [" + env + "]\n");
        Files.writeString(base.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: demo
                resources:
                  - namespace.yaml
                  - service.yaml
                  - virtualservice.yaml
                """);
        Files.writeString(base.resolve("namespace.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: demo
                  labels:
                    istio-injection: enabled
                    pod-security.kubernetes.io/enforce: baseline
                """);
        Files.writeString(base.resolve("service.yaml"), """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector:
                    app: web
                  ports:
                    - name: http
                      port: 8080
                """);
        Files.writeString(base.resolve("virtualservice.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: web
                spec:
                  hosts:
                    - web.invalid
                  http:
                    - route:
                        - destination:
                            host: web.demo.svc.cluster.local
                            port:
                              number: 8080
                """);
        String components = withComponent ? """
                components:
                  - %s
                  - %s
                """.formatted(overlay.relativize(bundleDir.resolve("components/domain/" + env)),
                overlay.relativize(bundleDir.resolve("components/virtualservice"))) : "";
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../base
                """ + components);
        return app;
    }

    private List<Path> workloadBundles() {
        return RepositoryBundles.all(repository).stream()
                .filter(p -> "workloads".equals(new BundleDescriptorReader().read(p.resolve(Bundle.DESCRIPTOR)).group()))
                .toList();
    }

    private static BundleDescriptor descriptor(Path bundle) {
        return new BundleDescriptorReader().read(bundle.resolve(Bundle.DESCRIPTOR));
    }

    private KubeObject application(String env) {
        return output.object(env, "Application", "ingress-gateway");
    }

    private Map<String, Object> source(String env) {
        return KubeObject.path(application(env).body(), "spec", "source");
    }

    private Map<String, Object> values(String env) {
        return KubeObject.path(source(env), "helm", "valuesObject");
    }

    private KubeObject gateway(String env) {
        return output.object(env, "Gateway", GATEWAY);
    }

    private Map<String, Object> server(String env, int port) {
        return KubeObject.list(spec(gateway(env)).get("servers")).stream().map(KubeObject::map)
                .filter(s -> Integer.valueOf(port).equals(KubeObject.path(s, "port").get("number"))).findFirst()
                .orElseThrow(() -> new AssertionError("the Gateway has no server on port " + port));
    }

    private static Map<String, Object> spec(KubeObject object) {
        return KubeObject.path(object.body(), "spec");
    }
}
