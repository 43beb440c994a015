package io.homestack.bundle.test.envtest;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.Topology;
import io.homestack.bundle.test.internal.Await;
import io.homestack.bundle.test.internal.ClusterPlan;
import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.testsupport.SkipsCounted;
import io.homestack.testsupport.TestTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cert-manager simulation against envtest and the real cert-manager chart (the version of the CRDs, rendered by
 * helm with platform/cert-manager's values): the API server calls the simulated webhook through the chart's own
 * webhook configurations (and fails when it is stopped), issuers become Ready, Certificates get Secrets whose
 * certificates chain to the CA.
 */
@ExtendWith(SkipsCounted.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertManagerSimulationIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private EnvtestCluster cluster;
    private CertManagerSimulation simulation;

    @BeforeAll
    void startWithTheChart() throws Exception {
        TestBinaries binaries = TestBinaries.locate();
        String version = binaries.version("CRD_CERT_MANAGER_VERSION");
        Path chart = binaries.dir().resolve("charts/cert-manager").resolve(version).resolve("cert-manager");
        if (!Files.isDirectory(chart)) {
            throw TestTools.missing("no cert-manager chart " + chart + ": run tooling/k8s-test-binaries/charts.sh");
        }
        cluster = EnvtestCluster.start(ClusterPlan.of(ClusterKind.ENVTEST, "k3d", false, false, true),
                Topology.named("k3d", binaries.repo()), binaries, true);
        simulation = cluster.certManagerSimulation();
        cluster.apply("cert-manager", chartRender(binaries, chart));
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** helm template of the chart as Argo CD renders it (release cert-manager), without CRDs (installed) and hooks. */
    private static List<KubeObject> chartRender(TestBinaries binaries, Path chart) throws Exception {
        Path values = binaries.repo().resolve("platform/cert-manager/values/cert-manager.yaml");
        Process helm = new ProcessBuilder(binaries.binary("helm").toString(), "template", "cert-manager", chart.toString(),
                "--namespace", "cert-manager", "--values", values.toString()).redirectErrorStream(true).start();
        String out = new String(helm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(helm.waitFor(60, TimeUnit.SECONDS) && helm.exitValue() == 0).as("helm template: " + out).isTrue();
        List<KubeObject> objects = new ArrayList<>();
        objects.add(new KubeObject(new LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "Namespace",
                "metadata", Map.of("name", "cert-manager"))), "test"));
        for (Map<String, Object> doc : Yaml.readAll(out, "helm template cert-manager")) {
            KubeObject o = new KubeObject(new LinkedHashMap<>(doc), "cert-manager chart");
            if (!"CustomResourceDefinition".equals(o.kind())
                    && !KubeObject.path(doc, "metadata", "annotations").containsKey("helm.sh/hook")) {
                objects.add(o);
            }
        }
        return objects;
    }

    @Test
    @Order(1)
    void theApiServerCallsTheSimulatedWebhookThroughTheChartsConfiguration() {
        assertThatCluster(cluster).within(WAIT).hasDeploymentAvailable("cert-manager", "cert-manager-webhook");
        Await.until(WAIT, "caBundle injected into the chart's ValidatingWebhookConfiguration",
                () -> caBundle("ValidatingWebhookConfiguration") != null && caBundle("MutatingWebhookConfiguration") != null,
                () -> String.valueOf(caBundle("ValidatingWebhookConfiguration")));
        assertThat(caBundle("ValidatingWebhookConfiguration")).isEqualTo(
                cluster.client().secrets().inNamespace("cert-manager").withName("cert-manager-webhook-ca").get()
                        .getData().get("ca.crt"));
        long before = simulation.admissions();

        // the API server reads webhook configurations from its cache: the injected caBundle reaches it a moment later
        String[] last = {""};
        Await.until(Duration.ofSeconds(30), "ClusterIssuer simulated-selfsigned admitted", () -> {
            try {
                create(clusterIssuer("simulated-selfsigned", Map.of("selfSigned", Map.of())));
                return true;
            } catch (KubernetesClientException e) {
                last[0] = e.getMessage();
                return false;
            }
        }, () -> last[0]);

        assertThat(simulation.admissions()).as("admission requests the simulated webhook answered").isGreaterThan(before);
    }

    @Test
    @Order(2)
    void issuersBecomeReadyAndCertificatesGetSecretsThatChainToTheCa() throws Exception {
        KubernetesClient client = cluster.client();
        create(clusterIssuer("simulated-ca", Map.of("ca", Map.of("secretName", "simulated-ca"))));
        awaitReady(null, "ClusterIssuer", "simulated-selfsigned");
        Await.until(WAIT, "ClusterIssuer simulated-ca not Ready while its Secret is missing", () -> {
            Map<String, Object> ready = readyCondition(null, "ClusterIssuer", "simulated-ca");
            return ready != null && "False".equals(ready.get("status"))
                    && String.valueOf(ready.get("message")).contains("secrets \"simulated-ca\" not found");
        }, () -> String.valueOf(readyCondition(null, "ClusterIssuer", "simulated-ca")));

        create(certificate("cert-manager", "simulated-ca", Map.of("isCA", true, "commonName", "simulated CA",
                "secretName", "simulated-ca", "duration", "87600h", "privateKey", Map.of("algorithm", "ECDSA", "size", 256),
                "issuerRef", Map.of("group", "cert-manager.io", "kind", "ClusterIssuer", "name", "simulated-selfsigned"))));
        awaitReady("cert-manager", "Certificate", "simulated-ca");
        awaitReady(null, "ClusterIssuer", "simulated-ca");
        String namespace = cluster.createNamespace("certs");
        create(certificate(namespace, "app", Map.of("secretName", "app-tls", "dnsNames", List.of("app.homestack.localhost"),
                "duration", "2160h", "issuerRef", Map.of("kind", "ClusterIssuer", "name", "simulated-ca"))));
        assertThatCluster(cluster).within(WAIT).hasCertificateReady(namespace, "app");

        var secret = client.secrets().inNamespace(namespace).withName("app-tls").get();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsKeys("tls.crt", "tls.key", "ca.crt");
        X509Certificate leaf = x509(secret.getData().get("tls.crt"));
        X509Certificate ca = x509(client.secrets().inNamespace("cert-manager").withName("simulated-ca").get().getData().get("tls.crt"));
        assertThat(x509(secret.getData().get("ca.crt"))).isEqualTo(ca);
        assertThat(ca.getBasicConstraints()).as("the CA certificate is a CA").isGreaterThanOrEqualTo(0);
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .containsExactly("app.homestack.localhost");
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant())).isEqualTo(Duration.ofHours(2160));
        PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        pkix.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(leaf)), pkix); // throws when the leaf does not chain to the CA

        Map<String, Object> status = KubeObject.map(get(namespace, "Certificate", "app").getAdditionalProperties().get("status"));
        assertThat(status).containsKeys("notBefore", "notAfter", "renewalTime");
        create(clusterIssuer("simulated-acme", Map.of("acme", Map.of("server", "https://acme.invalid/directory",
                "privateKeySecretRef", Map.of("name", "simulated-acme")))));
        Await.until(WAIT, "ClusterIssuer simulated-acme left not Ready, saying it is not simulated", () -> {
            Map<String, Object> ready = readyCondition(null, "ClusterIssuer", "simulated-acme");
            return ready != null && "False".equals(ready.get("status")) && "NotSimulated".equals(ready.get("reason"));
        }, () -> String.valueOf(readyCondition(null, "ClusterIssuer", "simulated-acme")));
    }

    @Test
    @Order(3)
    void aStoppedWebhookMakesTheApiServerRejectCertManagerObjects() {
        simulation.stopWebhook();

        assertThatThrownBy(() -> cluster.client().genericKubernetesResources("cert-manager.io/v1", "ClusterIssuer")
                .resource(clusterIssuer("after-stop", Map.of("selfSigned", Map.of()))).create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("failed calling webhook \"webhook.cert-manager.io\"");
    }

    private void create(GenericKubernetesResource resource) {
        var resources = cluster.client().genericKubernetesResources(resource.getApiVersion(), resource.getKind());
        (resource.getMetadata().getNamespace() == null ? resources.resource(resource)
                : resources.inNamespace(resource.getMetadata().getNamespace()).resource(resource)).create();
    }

    private static GenericKubernetesResource clusterIssuer(String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("cert-manager.io/v1");
        r.setKind("ClusterIssuer");
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        r.setAdditionalProperty("spec", spec);
        return r;
    }

    private static GenericKubernetesResource certificate(String namespace, String name, Map<String, Object> spec) {
        GenericKubernetesResource r = clusterIssuer(name, spec);
        r.setKind("Certificate");
        r.getMetadata().setNamespace(namespace);
        return r;
    }

    private GenericKubernetesResource get(String namespace, String kind, String name) {
        var resources = cluster.client().genericKubernetesResources("cert-manager.io/v1", kind);
        return namespace == null ? resources.withName(name).get() : resources.inNamespace(namespace).withName(name).get();
    }

    private Map<String, Object> readyCondition(String namespace, String kind, String name) {
        GenericKubernetesResource r = get(namespace, kind, name);
        return r == null ? null : KubeObject.list(KubeObject.map(r.getAdditionalProperties().get("status")).get("conditions"))
                .stream().map(KubeObject::map).filter(c -> "Ready".equals(c.get("type"))).findFirst().orElse(null);
    }

    private void awaitReady(String namespace, String kind, String name) {
        Await.until(WAIT, kind + " " + name + " Ready", () -> {
            Map<String, Object> ready = readyCondition(namespace, kind, name);
            return ready != null && "True".equals(ready.get("status"));
        }, () -> String.valueOf(readyCondition(namespace, kind, name)));
    }

    private String caBundle(String kind) {
        var config = cluster.client().genericKubernetesResources("admissionregistration.k8s.io/v1", kind)
                .withName("cert-manager-webhook").get();
        return config == null ? null : KubeObject.string(KubeObject.path(KubeObject.map(
                KubeObject.list(config.getAdditionalProperties().get("webhooks")).get(0)), "clientConfig").get("caBundle"));
    }

    private static X509Certificate x509(String base64Pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
    }
}
