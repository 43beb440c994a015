package io.homestack.platform.istio;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mesh at work, on a cluster where the istio bundle is deployed and pods run (a kubeconfig cluster with the
 * release synced by Argo CD: a k3d cluster, or the home cluster); skipped on envtest (no containers) and on the kit's bare k3s
 * container (nothing deploys the stack there). istiod is available, a pod in a namespace labelled
 * {@code istio-injection=enabled} gets its {@code istio-proxy} sidecar, a meshed client reaches a meshed server over
 * mutual TLS (the server's sidecar forwards the client's SPIFFE identity), and under the mesh-wide STRICT
 * PeerAuthentication a client outside the mesh is refused.
 */
@HomestackCluster
@RequiresCapability(Capability.RUNNING_PODS)
class IstioRuntimeIT {

    static final String CURL = "docker.io/curlimages/curl:8.14.1";
    static final String HTTPBIN = "docker.io/mccutchen/go-httpbin:v2.15.0";
    private static final String SIDECAR = "istio-proxy";
    /** Long enough for first image pulls (app and proxy) on a fresh cluster. */
    private static final Duration PODS = Duration.ofMinutes(3);

    private TestCluster cluster;
    private final List<String> namespaces = new ArrayList<>();

    @BeforeEach
    void theIstioBundleIsDeployed(TestInfo test) {
        boolean deployed = cluster.client().apps().deployments().inNamespace("istio-system").withName("istiod").get() != null;
        if (!deployed && cluster.kind() == ClusterKind.K3S) {
            String reason = "needs the istio bundle deployed (Deployment istio-system/istiod); the kit's k3s container is a"
                    + " bare k3s without Argo CD (run with -Dhomestack.cluster=kubeconfig on a cluster with the release synced"
                    + " by Argo CD)";
            System.out.println("[homestack] SKIPPED " + test.getDisplayName() + " on k3s: " + reason);
            Assumptions.abort(reason);
        }
    }

    @Test
    void istiodIsAvailableAndMutualTlsIsStrictMeshWide() {
        assertThatCluster(cluster).within(PODS).hasDeploymentAvailable("istio-system", "istiod");

        GenericKubernetesResource peerAuthentication = cluster.client()
                .genericKubernetesResources("security.istio.io/v1", "PeerAuthentication")
                .inNamespace("istio-system").withName("default").get();
        assertThat(peerAuthentication).as("the mesh-wide PeerAuthentication istio-system/default").isNotNull();
        assertThat(KubeObject.path(peerAuthentication.getAdditionalProperties(), "spec", "mtls"))
                .containsEntry("mode", "STRICT");
    }

    @Test
    void aPodInAnInjectedNamespaceGetsItsSidecar() {
        String mesh = namespace("istio-injected", true);
        startHttpbin(mesh);

        Pod pod = cluster.client().pods().inNamespace(mesh).withLabel("app", "httpbin").list().getItems().get(0);
        List<String> containers = Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
                .map(Container::getName).toList();
        assertThat(containers).as("containers of %s (classic or native sidecar)", pod.getMetadata().getName())
                .contains("httpbin", SIDECAR);
        assertThat(pod.getMetadata().getAnnotations()).as("istiod's injector marks the pods it injected")
                .containsKey("sidecar.istio.io/status");
    }

    @Test
    void meshTrafficIsMutualTlsAndAClientOutsideTheMeshIsRefused() {
        String mesh = namespace("istio-mtls", true);
        String outside = namespace("istio-outside", false);
        startHttpbin(mesh);
        String url = "http://httpbin." + mesh + ".svc.cluster.local:8080";
        KubernetesClient client = cluster.client();
        client.serviceAccounts().inNamespace(mesh).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("mesh-client").endMetadata().build()).create();

        client.pods().inNamespace(mesh).resource(curl("client", "mesh-client", url + "/headers")).create();
        client.pods().inNamespace(outside).resource(curl("outsider", "default", url + "/get")).create();

        // The server's sidecar puts the verified client certificate in X-Forwarded-Client-Cert (httpbin echoes the
        // headers): URI=spiffe://<trust domain>/ns/<mesh>/sa/mesh-client exists only over mutual TLS.
        assertThatCluster(cluster).within(PODS).hasPodLogLine(mesh, "client", "/ns/" + mesh + "/sa/mesh-client");
        assertThatCluster(cluster).within(PODS).hasPodLogLine(outside, "outsider", "curl-exit=");
        String log = client.pods().inNamespace(outside).withName("outsider").getLog();
        Matcher exit = Pattern.compile("curl-exit=(\\d+)").matcher(log);
        assertThat(exit.find()).isTrue();
        assertThat(exit.group(1)).as("plaintext to a STRICT sidecar: the connection is reset (56) or closed empty (52),"
                + " not answered, not unreachable; curl said:%n%s", log).isIn("52", "56");
    }

    /** A namespace of this test, in the mesh (injection enabled) or explicitly outside it. */
    private String namespace(String prefix, boolean meshed) {
        String namespace = cluster.createNamespace(prefix);
        namespaces.add(namespace);
        cluster.client().namespaces().withName(namespace).edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToLabels("istio-injection", meshed ? "enabled" : "disabled").endMetadata().build());
        return namespace;
    }

    /** go-httpbin on 8080 behind a Service whose port is named http (so the mesh treats it as HTTP), and available. */
    private void startHttpbin(String namespace) {
        Map<String, String> labels = Map.of("app", "httpbin");
        KubernetesClient client = cluster.client();
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName("httpbin").withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65532L).withRunAsGroup(65532L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("httpbin").withImage(HTTPBIN)
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/status/200").withNewPort(8080).endHttpGet()
                .withPeriodSeconds(2).endReadinessProbe()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .withNewResources().addToRequests("cpu", new Quantity("10m")).addToRequests("memory", new Quantity("16Mi"))
                .addToLimits("memory", new Quantity("64Mi")).endResources()
                .endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        client.services().inNamespace(namespace).resource(new ServiceBuilder()
                .withNewMetadata().withName("httpbin").withLabels(labels).endMetadata()
                .withNewSpec().withSelector(labels)
                .addNewPort().withName("http").withPort(8080).withNewTargetPort(8080).endPort()
                .endSpec().build()).create();
        assertThatCluster(cluster).within(PODS).hasDeploymentAvailable(namespace, "httpbin");
    }

    /**
     * A pod that GETs the URL once (retrying transient errors) and logs the body and {@code curl-exit=<code>}. Its
     * container is the pod's default container, so its log is read even next to an injected sidecar.
     */
    private static Pod curl(String name, String serviceAccount, String url) {
        String script = "curl -sS --max-time 10 --retry 3 --retry-all-errors --retry-delay 2 \"$URL\"; echo \"curl-exit=$?\"";
        return new PodBuilder()
                .withNewMetadata().withName(name)
                .addToAnnotations("kubectl.kubernetes.io/default-container", "curl").endMetadata()
                .withNewSpec().withRestartPolicy("Never").withServiceAccountName(serviceAccount)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65532L).withRunAsGroup(65532L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("curl").withImage(CURL).withCommand("sh", "-c", script)
                .addNewEnv().withName("URL").withValue(url).endEnv()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .withNewResources().addToRequests("cpu", new Quantity("10m")).addToRequests("memory", new Quantity("16Mi"))
                .addToLimits("memory", new Quantity("64Mi")).endResources()
                .endContainer()
                .endSpec().build();
    }

    @AfterEach
    void deleteTheTestNamespaces() {
        namespaces.forEach(namespace -> cluster.client().namespaces().withName(namespace).delete());
    }
}
