package io.homestack.bundle.test.envtest;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homestack.bundle.k8s.KubeObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * <b>A simulation</b> of cert-manager's contract with the rest of a cluster (capability CERT_MANAGER on envtest), the
 * way kwok stands in for the kubelet: cert-manager's controller and webhook cannot be built here (their Go modules
 * are not served by the module proxy), so Certificates would never become Ready and the API server could not call
 * the chart's webhook. What it does, each action printed as {@code SIMULATED (cert-manager): ...}:
 * <ul>
 *   <li><b>webhook</b> ({@link SimulatedWebhook}): the API server really calls an HTTPS admission endpoint through
 *   the chart's own webhook configurations and Service, once that Service has a ready endpoint (the chart's webhook
 *   pod, Running on a kwok node). It admits every request: cert-manager's validation is not run.</li>
 *   <li><b>webhook CA and cainjector</b>: the webhook's CA is written to the Secret named by the configurations'
 *   {@value #INJECT_ANNOTATION} annotation (as the webhook's dynamic serving does), and its ca.crt injected into their
 *   caBundle (as cainjector does).</li>
 *   <li><b>Issuers</b>: ClusterIssuers and Issuers of kind selfSigned are Ready; of kind ca once their Secret holds a
 *   key pair (else Ready=False, as cert-manager says it). ACME and other issuers are not simulated: Ready=False
 *   saying so.</li>
 *   <li><b>Certificates</b>: one whose issuer is Ready gets its Secret (kubernetes.io/tls: tls.crt, tls.key, ca.crt;
 *   a real X.509 certificate with the spec's commonName, organizations, dnsNames, ipAddresses, isCA, duration and key
 *   algorithm; self-signed, or signed by the ca issuer's key) and status Ready=True with notBefore, notAfter,
 *   renewalTime. Nothing is renewed; usages, keystores and other options are not simulated.</li>
 * </ul>
 * It runs only on envtest, only for test classes that declare {@code @RequiresCapability(CERT_MANAGER)}; the real
 * cert-manager is what k3d/k3s clusters run.
 */
final class CertManagerSimulation implements NativeController {

    static final String GROUP = "cert-manager.io";
    static final String API = GROUP + "/v1";
    static final String INJECT_ANNOTATION = "cert-manager.io/inject-ca-from-secret";
    /** Where ClusterIssuers find their Secrets: the chart's --cluster-resource-namespace, its release namespace. */
    static final String CLUSTER_RESOURCE_NAMESPACE = "cert-manager";
    static final String NOT_SIMULATED = "NotSimulated";
    private static final char[] PASSWORD = "simulation".toCharArray();
    private static final List<String> WEBHOOK_KINDS = List.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");

    private final Path socket;
    private final SimulatedIssuance.Issued webhookCa;
    private final Set<String> said = ConcurrentHashMap.newKeySet();
    private KubernetesClient client;
    private SimulatedWebhook webhook;
    private ScheduledExecutorService loop;
    private boolean closed;
    /** The Services (namespace/name) that the configurations annotated for injection call. */
    private final Set<String> served = ConcurrentHashMap.newKeySet();

    /** @param work a short directory for the API server's egress socket (a Unix socket path has at most 107 bytes) */
    CertManagerSimulation(Path work) {
        this.socket = work.resolve("egress.sock");
        this.webhookCa = SimulatedIssuance.selfSigned(new SimulatedIssuance.Request("cert-manager-webhook-ca", List.of(),
                List.of(), List.of(), true, Duration.ofDays(365), "ECDSA", 256));
    }

    @Override
    public String name() {
        return "cert-manager simulation";
    }

    /** The flags kube-apiserver needs so that its calls to cluster Services reach the simulated webhook. */
    List<String> apiServerFlags() {
        Path config = socket.resolveSibling("egress-selector.yaml");
        try {
            Files.createDirectories(socket.getParent());
            Files.writeString(config, SimulatedWebhook.egressSelectorConfiguration(socket));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + config, e);
        }
        return List.of("--egress-selector-config-file", config.toString());
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        webhook = new SimulatedWebhook(servingKeys(), PASSWORD, socket, this::route);
        say("started: admission webhook stand-in, cainjector, Issuer and Certificate status (no validation, no ACME,"
                + " no renewal; the real cert-manager runs on k3d/k3s)");
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cert-manager-simulation");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::reconcile, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** How many admission requests the webhook stand-in answered (for the kit's own test). */
    long admissions() {
        return webhook.admitted();
    }

    /** Stops answering admission requests, as a webhook pod that died (for the kit's own test). */
    void stopWebhook() {
        webhook.stopServing();
        say("webhook stopped (as if its pod died): the API server's calls now fail");
    }

    private void reconcile() {
        try {
            injectCa();
            for (GenericKubernetesResource issuer : list("ClusterIssuer")) {
                issuerStatus(issuer, CLUSTER_RESOURCE_NAMESPACE);
            }
            for (GenericKubernetesResource issuer : list("Issuer")) {
                issuerStatus(issuer, issuer.getMetadata().getNamespace());
            }
            for (GenericKubernetesResource certificate : list("Certificate")) {
                issue(certificate);
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) { // CRDs not there yet; a concurrent change: next round
                sayOnce("reconcile error " + e.getCode(), "could not reconcile (tried again): " + e.getMessage());
            }
        } catch (RuntimeException e) {
            sayOnce("error " + e.getMessage(), "error (tried again): " + e);
        }
    }

    // ---- webhook and cainjector ----

    /**
     * The webhook Secret (as the webhook's dynamic serving writes it) once the Service exists, and caBundle = its
     * ca.crt in every annotated configuration (as cainjector injects it).
     */
    private void injectCa() {
        for (String kind : WEBHOOK_KINDS) {
            for (GenericKubernetesResource config : client.genericKubernetesResources("admissionregistration.k8s.io/v1", kind)
                    .list().getItems()) {
                String from = config.getMetadata().getAnnotations() == null ? null
                        : config.getMetadata().getAnnotations().get(INJECT_ANNOTATION);
                if (from == null || !from.contains("/")) {
                    continue;
                }
                List<Object> hooks = KubeObject.list(config.getAdditionalProperties().get("webhooks"));
                for (Object hook : hooks) {
                    Map<String, Object> service = KubeObject.path(KubeObject.map(hook), "clientConfig", "service");
                    if (service.get("name") != null) {
                        served.add(service.get("namespace") + "/" + service.get("name"));
                    }
                }
                String[] secretRef = from.split("/", 2);
                String caBundle = webhookCaSecret(secretRef[0], secretRef[1]);
                if (caBundle == null) {
                    continue;
                }
                boolean changed = false;
                for (Object hook : hooks) {
                    Map<String, Object> clientConfig = KubeObject.path(KubeObject.map(hook), "clientConfig");
                    if (!caBundle.equals(clientConfig.get("caBundle"))) {
                        clientConfig.put("caBundle", caBundle);
                        changed = true;
                    }
                }
                if (changed) {
                    client.genericKubernetesResources("admissionregistration.k8s.io/v1", kind).resource(config).update();
                    say("cainjector: caBundle of " + kind + " " + config.getMetadata().getName() + " set from Secret " + from);
                }
            }
        }
    }

    /** The webhook's CA Secret (created once its namespace exists); its ca.crt base64, null while there is none. */
    private String webhookCaSecret(String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            if (client.namespaces().withName(namespace).get() == null) {
                return null;
            }
            secret = client.secrets().inNamespace(namespace).resource(tlsSecret(namespace, name, webhookCa, Map.of())).create();
            say("webhook: CA Secret " + namespace + "/" + name + " created (as the webhook's dynamic serving does)");
        }
        return secret.getData() == null ? null : secret.getData().get("ca.crt");
    }

    /**
     * The endpoint's key and certificate, for the chart's webhook Service names ({@link #servedNames}): the endpoint
     * starts before any configuration exists to name others.
     */
    private KeyStore servingKeys() {
        SimulatedIssuance.Issued serving = SimulatedIssuance.signedBy(
                new SimulatedIssuance.Signer(webhookCa.certificate(), webhookCa.keyPair().getPrivate()),
                new SimulatedIssuance.Request("cert-manager-webhook", List.of(), servedNames(), List.of(), false,
                        Duration.ofDays(365), "ECDSA", 256));
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("serving", serving.keyPair().getPrivate(), PASSWORD,
                    new java.security.cert.Certificate[] {serving.certificate(), webhookCa.certificate()});
            return store;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The chart's webhook Service in its release namespace (cert-manager/cert-manager-webhook), as its DNS names. */
    static List<String> servedNames() {
        String service = "cert-manager-webhook";
        String namespace = CLUSTER_RESOURCE_NAMESPACE;
        return List.of(service, service + "." + namespace, service + "." + namespace + ".svc");
    }

    /**
     * Where the API server's connection to a Service IP goes: a served webhook Service with a ready endpoint to the
     * endpoint here; one without to nowhere (as kube-proxy rejects it); anything else is dialled directly.
     */
    private SimulatedWebhook.Route route(String target) {
        int colon = target.lastIndexOf(':');
        String ip = target.substring(0, colon);
        int port = Integer.parseInt(target.substring(colon + 1));
        for (String key : served) {
            String[] ref = key.split("/", 2);
            Service service = client.services().inNamespace(ref[0]).withName(ref[1]).get();
            if (service == null || !ip.equals(service.getSpec().getClusterIP())
                    || service.getSpec().getPorts().stream().noneMatch(p -> p.getPort() == port)) {
                continue;
            }
            if (!servedNames().contains(ref[1] + "." + ref[0] + ".svc")) {
                return new SimulatedWebhook.Route(-1, "service " + key + " is not the chart's default webhook Service"
                        + " (not simulated)");
            }
            if (!hasReadyEndpoint(ref[0], ref[1])) {
                return new SimulatedWebhook.Route(-1, "service " + key + " has no ready endpoint");
            }
            if (!webhook.serving()) {
                return new SimulatedWebhook.Route(-1, "the simulated webhook of " + key + " is stopped");
            }
            return new SimulatedWebhook.Route(webhook.port(), null);
        }
        return SimulatedWebhook.Route.DIRECT;
    }

    private boolean hasReadyEndpoint(String namespace, String service) {
        return client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel("kubernetes.io/service-name", service).list().getItems().stream()
                .flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.empty() : s.getEndpoints().stream())
                .anyMatch(e -> e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady()));
    }

    // ---- Issuers ----

    private void issuerStatus(GenericKubernetesResource issuer, String secretNamespace) {
        Map<String, Object> spec = KubeObject.map(issuer.getAdditionalProperties().get("spec"));
        String status;
        String reason;
        String message;
        if (spec.containsKey("selfSigned")) {
            status = "True";
            reason = "IsReady";
            message = "";
        } else if (spec.containsKey("ca")) {
            String secretName = KubeObject.string(KubeObject.map(spec.get("ca")).get("secretName"));
            String problem = caProblem(secretNamespace, secretName);
            status = problem == null ? "True" : "False";
            reason = problem == null ? "KeyPairVerified" : "ErrGetKeyPair";
            message = problem == null ? "Signing CA verified" : "Error getting keypair for CA issuer: " + problem;
        } else {
            status = "False";
            reason = NOT_SIMULATED;
            message = "issuer type " + spec.keySet() + " is not simulated on envtest (only selfSigned and ca are; the"
                    + " real cert-manager on k3d/k3s issues from it)";
        }
        if (setReady(issuer, status, reason, message)) {
            say(issuer.getKind() + " " + id(issuer) + ": Ready=" + status + " (" + reason
                    + (message.isEmpty() ? "" : ": " + message) + ")");
        }
    }

    private String caProblem(String namespace, String secretName) {
        Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        if (secret == null) {
            return "secrets \"" + secretName + "\" not found";
        }
        try {
            signer(secret);
            return null;
        } catch (IllegalArgumentException e) {
            return "secret " + namespace + "/" + secretName + ": " + e.getMessage();
        }
    }

    private static SimulatedIssuance.Signer signer(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        if (data.get("tls.crt") == null || data.get("tls.key") == null) {
            throw new IllegalArgumentException("no tls.crt and tls.key");
        }
        return SimulatedIssuance.signer(decode(data.get("tls.crt")), decode(data.get("tls.key")));
    }

    private boolean ready(String kind, String namespace, String name) {
        var resources = client.genericKubernetesResources(API, kind);
        GenericKubernetesResource issuer = namespace == null ? resources.withName(name).get()
                : resources.inNamespace(namespace).withName(name).get();
        return issuer != null && conditions(issuer).stream()
                .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
    }

    // ---- Certificates ----

    private void issue(GenericKubernetesResource certificate) {
        Map<String, Object> spec = KubeObject.map(certificate.getAdditionalProperties().get("spec"));
        Map<String, Object> issuerRef = KubeObject.map(spec.get("issuerRef"));
        String namespace = certificate.getMetadata().getNamespace();
        String issuerKind = issuerRef.get("kind") == null ? "Issuer" : KubeObject.string(issuerRef.get("kind"));
        String issuerName = KubeObject.string(issuerRef.get("name"));
        String secretName = KubeObject.string(spec.get("secretName"));
        boolean cluster = "ClusterIssuer".equals(issuerKind);
        Secret existing = client.secrets().inNamespace(namespace).withName(secretName).get();
        Long generation = certificate.getMetadata().getGeneration();
        Map<String, Object> current = ready(certificate);
        if (existing != null && current != null && "True".equals(current.get("status"))
                && Objects.equals(String.valueOf(generation), String.valueOf(current.get("observedGeneration")))) {
            return; // issued for this generation; renewal is not simulated
        }
        if (!ready(issuerKind, cluster ? null : namespace, issuerName)) {
            if (setReady(certificate, "False", "IssuerNotReady", issuerKind + " " + issuerName + " is not Ready")) {
                say("Certificate " + id(certificate) + ": waiting, " + issuerKind + " " + issuerName + " is not Ready");
            }
            return;
        }
        var issuers = client.genericKubernetesResources(API, issuerKind);
        GenericKubernetesResource issuer = cluster ? issuers.withName(issuerName).get()
                : issuers.inNamespace(namespace).withName(issuerName).get();
        Map<String, Object> issuerSpec = KubeObject.map(issuer.getAdditionalProperties().get("spec"));
        SimulatedIssuance.Issued issued;
        try {
            SimulatedIssuance.Request request = request(spec);
            if (issuerSpec.containsKey("ca")) {
                String caSecret = KubeObject.string(KubeObject.map(issuerSpec.get("ca")).get("secretName"));
                issued = SimulatedIssuance.signedBy(signer(client.secrets()
                        .inNamespace(cluster ? CLUSTER_RESOURCE_NAMESPACE : namespace).withName(caSecret).get()), request);
            } else {
                issued = SimulatedIssuance.selfSigned(request);
            }
        } catch (IllegalArgumentException e) {
            if (setReady(certificate, "False", NOT_SIMULATED, e.getMessage())) {
                say("Certificate " + id(certificate) + ": not issued: " + e.getMessage());
            }
            return;
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("cert-manager.io/certificate-name", certificate.getMetadata().getName());
        annotations.put("cert-manager.io/issuer-name", issuerName);
        annotations.put("cert-manager.io/issuer-kind", issuerKind);
        annotations.put("cert-manager.io/issuer-group", GROUP);
        Secret secret = tlsSecret(namespace, secretName, issued, annotations);
        client.secrets().inNamespace(namespace).resource(secret).createOr(s -> s.update());
        X509Certificate x509 = issued.certificate();
        Instant notBefore = x509.getNotBefore().toInstant();
        Instant notAfter = x509.getNotAfter().toInstant();
        Duration lifetime = Duration.between(notBefore, notAfter);
        Duration renewBefore = spec.get("renewBefore") == null ? lifetime.dividedBy(3)
                : SimulatedIssuance.goDuration(KubeObject.string(spec.get("renewBefore")));
        Map<String, Object> status = statusOf(certificate);
        status.put("notBefore", notBefore.truncatedTo(ChronoUnit.SECONDS).toString());
        status.put("notAfter", notAfter.truncatedTo(ChronoUnit.SECONDS).toString());
        status.put("renewalTime", notAfter.minus(renewBefore).truncatedTo(ChronoUnit.SECONDS).toString());
        status.put("revision", 1);
        setReady(certificate, "True", "Ready", "Certificate is up to date and has not expired", true);
        say("Certificate " + id(certificate) + ": Secret " + namespace + "/" + secretName + " (subject \"" + x509.getSubjectX500Principal()
                + "\", dnsNames " + spec.getOrDefault("dnsNames", List.of()) + ", " + (issuerSpec.containsKey("ca") ? "signed by " + issuerKind + " " + issuerName : "self-signed")
                + ", until " + notAfter.truncatedTo(ChronoUnit.SECONDS) + "), Ready=True");
    }

    private static SimulatedIssuance.Request request(Map<String, Object> spec) {
        Map<String, Object> subject = KubeObject.map(spec.get("subject"));
        Map<String, Object> privateKey = KubeObject.map(spec.get("privateKey"));
        Object size = privateKey.get("size");
        return new SimulatedIssuance.Request(KubeObject.string(spec.get("commonName")), strings(subject.get("organizations")),
                strings(spec.get("dnsNames")), strings(spec.get("ipAddresses")), Boolean.TRUE.equals(spec.get("isCA")),
                SimulatedIssuance.goDuration(KubeObject.string(spec.get("duration"))),
                KubeObject.string(privateKey.get("algorithm")), size == null ? 0 : Integer.parseInt(String.valueOf(size)));
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        KubeObject.list(list).forEach(o -> out.add(String.valueOf(o)));
        return out;
    }

    private static Secret tlsSecret(String namespace, String name, SimulatedIssuance.Issued issued, Map<String, String> annotations) {
        return new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).withAnnotations(annotations)
                .addToLabels("homestack.io/simulated-by", "cert-manager-simulation").endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", encode(issued.certificatePem()))
                .addToData("tls.key", encode(issued.keyPem()))
                .addToData("ca.crt", encode(issued.caPem())).build();
    }

    // ---- status ----

    /** Sets condition Ready as cert-manager does (transition time kept while the status stays); true when it changed. */
    private boolean setReady(GenericKubernetesResource object, String status, String reason, String message) {
        return setReady(object, status, reason, message, false);
    }

    /** @param write also when the condition stays (other status fields changed) */
    private boolean setReady(GenericKubernetesResource object, String status, String reason, String message, boolean write) {
        Map<String, Object> current = ready(object);
        boolean same = current != null && status.equals(current.get("status")) && reason.equals(current.get("reason"))
                && message.equals(current.get("message"))
                && Objects.equals(String.valueOf(object.getMetadata().getGeneration()),
                String.valueOf(current.get("observedGeneration")));
        if (same && !write) {
            return false;
        }
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", "Ready");
        condition.put("status", status);
        condition.put("reason", reason);
        condition.put("message", message);
        condition.put("lastTransitionTime", current != null && status.equals(current.get("status"))
                ? current.get("lastTransitionTime") : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        condition.put("observedGeneration", object.getMetadata().getGeneration());
        Map<String, Object> statusMap = statusOf(object);
        List<Object> conditions = new ArrayList<>(KubeObject.list(statusMap.get("conditions")));
        conditions.removeIf(c -> "Ready".equals(KubeObject.map(c).get("type")));
        conditions.add(condition);
        statusMap.put("conditions", conditions);
        var resources = client.genericKubernetesResources(API, object.getKind());
        (object.getMetadata().getNamespace() == null ? resources.resource(object)
                : resources.inNamespace(object.getMetadata().getNamespace()).resource(object)).updateStatus();
        return !same;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statusOf(GenericKubernetesResource object) {
        Object status = object.getAdditionalProperties().get("status");
        if (!(status instanceof Map)) {
            status = new LinkedHashMap<String, Object>();
            object.getAdditionalProperties().put("status", status);
        }
        return (Map<String, Object>) status;
    }

    private static Map<String, Object> ready(GenericKubernetesResource object) {
        return conditions(object).stream().filter(c -> "Ready".equals(c.get("type"))).findFirst().orElse(null);
    }

    private static List<Map<String, Object>> conditions(GenericKubernetesResource object) {
        Object status = object.getAdditionalProperties().get("status");
        List<Map<String, Object>> out = new ArrayList<>();
        if (status instanceof Map<?, ?> m) {
            KubeObject.list(m.get("conditions")).forEach(c -> out.add(KubeObject.map(c)));
        }
        return out;
    }

    private List<GenericKubernetesResource> list(String kind) {
        return client.genericKubernetesResources(API, kind).inAnyNamespace().list().getItems();
    }

    private static String id(GenericKubernetesResource o) {
        return (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/") + o.getMetadata().getName();
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static void say(String what) {
        System.out.println("[homestack] SIMULATED (cert-manager): " + what);
    }

    private void sayOnce(String key, String what) {
        if (said.add(key)) {
            say(what);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (loop != null) {
            loop.shutdownNow();
        }
        if (webhook != null) {
            webhook.close();
        }
        try {
            Files.deleteIfExists(socket.resolveSibling("egress-selector.yaml"));
            Files.deleteIfExists(socket.getParent());
        } catch (java.io.IOException e) {
            // a temporary directory: left behind at worst
        }
    }
}
