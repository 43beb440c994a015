package io.homestack.backup.objectstore;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.seal.SecretManifest;
import io.homestack.bundle.seal.Unsealer;
import io.homestack.bundle.test.BundleRenders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle's own objects for both environments (k3d as built, k3s as its overlay renders), held to the S3 interface
 * and to the chart's render of the bundle's values: the mesh policies select the gateway's pods and port, the route and
 * the Job's endpoint are the chart's Service, the Job runs the gateway's image, the Secrets carry the contract's keys.
 */
class ObjectStoreBundleTest {

    static final String NAMESPACE = "object-store";
    static final String ENDPOINT = "http://object-store.object-store.svc:7070";
    static final String GATEWAY_PRINCIPAL = "cluster.local/ns/istio-ingress/sa/istio-ingressgateway";

    private final BundleRenders output = BundleRenders.ofModule();

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyObjectIsInTheMeshedObjectStoreNamespaceAndNoSecretIsPlain(String env) {
        List<KubeObject> objects = output.objects(env);

        assertThat(objects).extracting(KubeObject::kind).doesNotContain("Secret");
        assertThat(objects).filteredOn(o -> !List.of("Namespace", "Application").contains(o.kind()))
                .allSatisfy(o -> assertThat(o.namespace()).as(o.describe()).isEqualTo(NAMESPACE));
        assertThat(output.object(env, "Namespace", NAMESPACE).labels()).containsEntry("istio-injection", "enabled")
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted");
        assertThat(output.objects(env, "AuthorizationPolicy")).extracting(KubeObject::name).containsExactlyInAnyOrder(
                "default-deny", "allow-ingress-gateway", "allow-prometheus", "allow-s3-clients", "deny-admin-from-gateway");
    }

    /**
     * Loki and Tempo (outside the mesh), the Job (no sidecar) and Velero reach the S3 port: it alone accepts plain
     * text, from callers without a mesh identity or, over mTLS, from namespace velero. Checked against the gateway pods
     * and port the chart renders.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theS3PortAloneAcceptsPlainTextAndOnlyTheS3ClientsMayCallIt(String env) throws Exception {
        List<KubeObject> chart = VersitygwChart.render(VersitygwChart.values(env), env, work);
        Map<String, Object> template = KubeObject.path(VersitygwChart.find(chart, "Deployment", "object-store").body(),
                "spec", "template");
        Map<String, Object> podLabels = KubeObject.path(template, "metadata", "labels");
        Map<String, Object> gateway = PodSpecs.containers(KubeObject.path(template, "spec")).get(0);
        String s3Port = String.valueOf(KubeObject.map(KubeObject.list(gateway.get("ports")).get(0)).get("containerPort"));
        assertThat(s3Port).isEqualTo("7070");

        Map<String, Object> peer = spec(output.object(env, "PeerAuthentication", "s3-plaintext"));
        assertThat(podLabels).as("the PeerAuthentication selects the gateway's pods")
                .containsAllEntriesOf(KubeObject.path(peer, "selector", "matchLabels"));
        assertThat(KubeObject.path(peer, "mtls")).containsEntry("mode", "STRICT");
        assertThat(KubeObject.path(peer, "portLevelMtls")).containsOnlyKeys(s3Port)
                .containsEntry(s3Port, Map.of("mode", "PERMISSIVE"));

        Map<String, Object> allow = spec(output.object(env, "AuthorizationPolicy", "allow-s3-clients"));
        assertThat(podLabels).containsAllEntriesOf(KubeObject.path(allow, "selector", "matchLabels"));
        assertThat(allow).containsEntry("action", "ALLOW");
        Map<String, Object> rule = KubeObject.map(KubeObject.list(allow.get("rules")).get(0));
        assertThat(KubeObject.list(allow.get("rules"))).hasSize(1);
        assertThat(KubeObject.list(rule.get("from"))).containsExactlyInAnyOrder(
                Map.of("source", Map.of("notPrincipals", List.of("*"))),
                Map.of("source", Map.of("namespaces", List.of("velero"))));
        assertThat(KubeObject.list(rule.get("to"))).containsExactly(Map.of("operation", Map.of("ports", List.of(s3Port))));
    }

    /** The admin API shares the S3 port; PATCH (admin only, no S3 operation uses it) from the ingress gateway is denied. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theAdminApiIsNotReachableThroughTheIngressGateway(String env) {
        Map<String, Object> deny = spec(output.object(env, "AuthorizationPolicy", "deny-admin-from-gateway"));
        Map<String, Object> gatewayAllowed = KubeObject.map(KubeObject.list(
                spec(output.object(env, "AuthorizationPolicy", "allow-ingress-gateway")).get("rules")).get(0));

        assertThat(deny).containsEntry("action", "DENY");
        assertThat(KubeObject.list(deny.get("rules"))).containsExactly(Map.of(
                "from", List.of(Map.of("source", Map.of("principals", List.of(GATEWAY_PRINCIPAL)))),
                "to", List.of(Map.of("operation", Map.of("methods", List.of("PATCH"))))));
        assertThat(KubeObject.list(gatewayAllowed.get("from"))).as("the principal default-deny lets in")
                .containsExactly(Map.of("source", Map.of("principals", List.of(GATEWAY_PRINCIPAL))));
    }

    @ParameterizedTest
    @CsvSource({"k3d, homestack.localhost", "k3s, home.example.net"})
    void theS3ApiIsRoutedFromTheIngressGatewayToTheChartsService(String env, String domain) throws Exception {
        Map<String, Object> vs = spec(output.object(env, "VirtualService", "s3"));
        Map<String, Object> service = spec(VersitygwChart.find(VersitygwChart.render(VersitygwChart.values(env), env,
                work), "Service", "object-store"));

        assertThat(KubeObject.list(vs.get("hosts"))).containsExactly("s3." + domain);
        assertThat(KubeObject.list(vs.get("gateways"))).containsExactly("istio-ingress/homestack-gateway");
        assertThat(KubeObject.list(vs.get("http"))).singleElement().satisfies(http -> assertThat(KubeObject.list(
                KubeObject.map(http).get("route"))).containsExactly(Map.of("destination", Map.of(
                "host", "object-store." + NAMESPACE + ".svc.cluster.local",
                "port", Map.of("number", KubeObject.map(KubeObject.list(service.get("ports")).get(0)).get("port"))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theJobRunsTheShippedScriptWithTheGatewaysImageAfterEverySync(String env) throws Exception {
        KubeObject job = output.object(env, "Job", "object-store-provision");
        Map<String, Object> pod = KubeObject.path(job.body(), "spec", "template", "spec");
        Map<String, Object> container = PodSpecs.containers(pod).get(0);
        List<KubeObject> chart = VersitygwChart.render(VersitygwChart.values(env), env, work);

        assertThat(job.annotations()).containsEntry("argocd.argoproj.io/hook", "PostSync")
                .containsEntry("argocd.argoproj.io/hook-delete-policy", "BeforeHookCreation");
        assertThat(KubeObject.path(job.body(), "spec", "template", "metadata", "labels"))
                .as("outside the mesh: a sidecar would keep the Job from completing")
                .containsEntry("sidecar.istio.io/inject", "false");
        assertThat(pod).containsEntry("restartPolicy", "Never");
        assertThat(PodSpecs.containers(pod)).hasSize(1);
        assertThat(container.get("image")).as("the gateway's image, for the admin CLI of the same release")
                .isEqualTo(PodSpecs.images(chart).get(0)).isIn(VersitygwChart.CHART.images());
        assertThat(KubeObject.list(container.get("command"))).containsExactly("sh", "/provision/provision.sh");
        assertThat(mount(pod, container, "/provision")).containsEntry("configMap", Map.of("name", "object-store-provision"));
        assertThat(mount(pod, container, "/users")).containsEntry("secret", Map.of("secretName", "object-store-users"));
        KubeObject configMap = output.object(env, "ConfigMap", "object-store-provision");
        assertThat(KubeObject.path(configMap.body(), "data")).containsOnlyKeys("provision.sh");
        assertThat(KubeObject.path(configMap.body(), "data").get("provision.sh")).as("the script, unchanged")
                .isEqualTo(Files.readString(output.bundleDir().resolve("manifests/base/provision/provision.sh")));

        Map<String, Object> service = spec(VersitygwChart.find(chart, "Service", "object-store"));
        assertThat(env(container, "S3_ENDPOINT")).as("the chart's Service and port: the S3 interface")
                .isEqualTo("http://object-store." + NAMESPACE + ".svc:" + KubeObject.map(KubeObject.list(
                        service.get("ports")).get(0)).get("port")).isEqualTo(ENDPOINT);
        assertThat(env(container, "ROOT_ACCESS_KEY_ID")).isEqualTo("object-store-root/rootAccessKeyId");
        assertThat(env(container, "ROOT_SECRET_ACCESS_KEY")).isEqualTo("object-store-root/rootSecretAccessKey");
        assertThat(env(container, "USERS_DIR")).isEqualTo("/users");
        assertThat(env(container, "BUCKETS")).isEqualTo("velero:velero loki-chunks:loki tempo-traces:tempo");
    }

    /**
     * The two Secrets every shipped environment needs, sealed with the contract's keys; on k3d opened with the committed
     * test key: the velero user's credentials are exactly the ones the velero bundle's velero-s3-credentials carries.
     */
    @Test
    void everyShippedEnvironmentShipsTheRootAndUsersSecretsSealedWithTheContractsKeys() {
        Set<String> userKeys = new TreeSet<>();
        for (String pair : env(PodSpecs.containers(KubeObject.path(output.object("k3d", "Job", "object-store-provision")
                .body(), "spec", "template", "spec")).get(0), "BUCKETS").split(" ")) {
            String user = pair.substring(pair.indexOf(':') + 1);
            userKeys.addAll(List.of(user + "-access-key-id", user + "-secret-access-key"));
        }
        assertThat(output.shippedEnvironments()).isNotEmpty();
        for (String env : output.shippedEnvironments()) {
            assertThat(encryptedKeys(env, "object-store-root")).as(env).containsExactlyInAnyOrder("rootAccessKeyId",
                    "rootSecretAccessKey");
            assertThat(encryptedKeys(env, "object-store-users")).as(env).containsExactlyInAnyOrderElementsOf(userKeys);
        }
        Unsealer k3d = Unsealer.load(output.bundleDir().resolve(
                "../../clusters/k3d/sealed-secrets/sealed-secrets-k3d.key").normalize());
        SecretManifest users = k3d.unseal(output.object("k3d", "SealedSecret", "object-store-users").body(), "users");
        assertThat(users.stringValue("velero-access-key-id")).isEqualTo("velero");
        assertThat(users.stringValue("velero-secret-access-key")).isEqualTo("velero-k3d-test-secret");
        for (String user : List.of("loki", "tempo")) {
            assertThat(users.stringValue(user + "-access-key-id")).as("the access key id is the user's name").isEqualTo(user);
        }
    }

    @Test
    void k3sIsShippedOnlyOnceItsSecretsAreSealedForTheHomeCluster() {
        boolean certificate = Files.isRegularFile(output.bundleDir().resolve(
                "../../clusters/k3s/sealed-secrets/sealed-secrets-k3s.crt"));
        boolean sealed = !output.objects("k3s", "SealedSecret").isEmpty();
        assertThat(output.shippedEnvironments().contains("k3s"))
                .as("k3s in bundle.yaml environments (k3s certificate committed: %s, SealedSecrets in manifests/k3s: %s)",
                        certificate, sealed)
                .isEqualTo(certificate && sealed);
    }

    private Set<String> encryptedKeys(String env, String name) {
        return KubeObject.path(output.object(env, "SealedSecret", name).body(), "spec", "encryptedData").keySet();
    }

    private static Map<String, Object> spec(KubeObject object) {
        return KubeObject.path(object.body(), "spec");
    }

    /** The volume mounted at {@code path}. */
    private static Map<String, Object> mount(Map<String, Object> pod, Map<String, Object> container, String path) {
        String volume = KubeObject.list(container.get("volumeMounts")).stream().map(KubeObject::map)
                .filter(m -> path.equals(m.get("mountPath"))).map(m -> KubeObject.string(m.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
        return KubeObject.list(pod.get("volumes")).stream().map(KubeObject::map).filter(v -> volume.equals(v.get("name")))
                .findFirst().orElseThrow();
    }

    /** The value of an env variable, or "secret/key" for a secretKeyRef. */
    private static String env(Map<String, Object> container, String name) {
        Map<String, Object> var = KubeObject.list(container.get("env")).stream().map(KubeObject::map)
                .filter(e -> name.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + Arrays.asList(container.get("env"))));
        Map<String, Object> ref = KubeObject.path(var, "valueFrom", "secretKeyRef");
        return ref.isEmpty() ? KubeObject.string(var.get("value")) : ref.get("name") + "/" + ref.get("key");
    }
}
