package io.homestack.bundle.test;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.internal.Crds;
import io.homestack.bundle.test.internal.TestBinaries;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The default cluster of a run (envtest here): version, CRDs, server-side apply with strict field validation. */
@HomestackCluster
class EnvtestClusterIT {

    TestCluster cluster;

    @Test
    void runsThePinnedKubernetesVersion() {
        String pinned = TestBinaries.locate().kubernetesVersion();
        assertThat(cluster.version()).startsWith(pinned);
        assertThat(cluster.client().namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
                .contains("default", "kube-system");
    }

    @Test
    void installedEveryUpstreamCrdAndTheyAreEstablished() {
        List<String> expected = Crds.fromCache(TestBinaries.locate()).stream().map(c -> new KubeObject(c, "").name()).toList();
        assertThat(expected).contains("virtualservices.networking.istio.io", "certificates.cert-manager.io",
                "servicemonitors.monitoring.coreos.com", "applications.argoproj.io", "sealedsecrets.bitnami.com",
                "backups.velero.io");
        Map<String, CustomResourceDefinition> installed = new LinkedHashMap<>();
        cluster.client().apiextensions().v1().customResourceDefinitions().list().getItems()
                .forEach(c -> installed.put(c.getMetadata().getName(), c));
        assertThat(installed.keySet()).containsAll(expected);
        assertThat(expected).allSatisfy(name -> assertThat(installed.get(name).getStatus().getConditions())
                .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
    }

    @Test
    void appliesNamespacesAndCrdsFirstThenCustomResources() {
        String ns = "apply-order";
        List<KubeObject> objects = List.of(
                obj("networking.istio.io/v1", "VirtualService", ns, "web", Map.of("spec", Map.of("hosts", List.of("web")))),
                obj("homestack.io/v1", "Widget", ns, "w1", Map.of("spec", Map.of("size", 3))),
                obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "widgets.homestack.io", widgetCrd()),
                obj("v1", "Namespace", null, ns, Map.of()));
        assertThat(cluster.apply("order-test", objects)).hasSize(4);
        assertThatCluster(cluster).hasObject("homestack.io/v1", "Widget", ns, "w1")
                .hasObject("networking.istio.io/v1", "VirtualService", ns, "web");
    }

    @Test
    void strictFieldValidationRejectsAnUnknownFieldNamingBundleFileAndObject() {
        String ns = cluster.createNamespace("strict");
        KubeObject configMap = new KubeObject(body("v1", "ConfigMap", ns, "settings",
                Map.of("data", Map.of("a", "b"), "dta", Map.of("typo", "x"))), "k3d/configmap-settings.yaml");
        assertThatThrownBy(() -> cluster.apply("media (k3d)", List.of(configMap)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("bundle media (k3d)")
                .hasMessageContaining("ConfigMap " + ns + "/settings (k3d/configmap-settings.yaml)")
                .hasMessageContaining(".dta: field not declared in schema");

        KubeObject certificate = new KubeObject(body("cert-manager.io/v1", "Certificate", ns, "web", Map.of("spec",
                Map.of("secretName", "web-tls", "issuerRef", Map.of("name", "ca"), "dnsNames", List.of("web"),
                        "renewBeforeTypo", "1h"))), "k3d/certificate-web.yaml");
        assertThatThrownBy(() -> cluster.apply("media (k3d)", List.of(certificate)))
                .hasMessageContaining("Certificate " + ns + "/web (k3d/certificate-web.yaml)")
                .hasMessageContaining(".spec.renewBeforeTypo: field not declared in schema");
    }

    @Test
    void anObjectWithoutCrdFailsNamingKindAndBundle() {
        KubeObject gadget = new KubeObject(body("example.com/v1", "Gadget", "default", "g", Map.of()), "k3d/gadget.yaml");
        assertThatThrownBy(() -> cluster.apply("media", List.of(gadget)))
                .hasMessageContaining("no CRD for Gadget (example.com/v1) in bundle media: Gadget default/g (k3d/gadget.yaml)");
    }

    @Test
    void theApiServerListensOnLoopbackOnly() throws Exception {
        int port = cluster.client().getMasterUrl().getPort();
        assertThat(cluster.client().getMasterUrl().getHost()).isEqualTo("127.0.0.1");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(s.isConnected()).isTrue();
        }
    }

    static KubeObject obj(String apiVersion, String kind, String ns, String name, Map<String, Object> rest) {
        return new KubeObject(body(apiVersion, kind, ns, name, rest), "test/" + kind.toLowerCase() + "-" + name + ".yaml");
    }

    static Map<String, Object> body(String apiVersion, String kind, String ns, String name, Map<String, Object> rest) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        if (ns != null) {
            metadata.put("namespace", ns);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", apiVersion);
        body.put("kind", kind);
        body.put("metadata", metadata);
        body.putAll(rest);
        return body;
    }

    private static Map<String, Object> widgetCrd() {
        return Map.of("spec", Map.of("group", "homestack.io", "scope", "Namespaced",
                "names", Map.of("plural", "widgets", "singular", "widget", "kind", "Widget"),
                "versions", List.of(Map.of("name", "v1", "served", true, "storage", true,
                        "schema", Map.of("openAPIV3Schema", Map.of("type", "object", "properties", Map.of(
                                "spec", Map.of("type", "object", "properties", Map.of("size", Map.of("type", "integer"))))))))));
    }
}
