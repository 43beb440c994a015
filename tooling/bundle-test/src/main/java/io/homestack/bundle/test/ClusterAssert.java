package io.homestack.bundle.test;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.internal.PodReferences;
import io.homestack.bundle.test.internal.RenderedFields;
import io.homestack.bundle.test.internal.Settings;
import org.assertj.core.api.AbstractAssert;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Assertions on a live {@link TestCluster}, AssertJ style; start with {@link ClusterAssertions#assertThatCluster}.
 * Each waits (polls) up to a timeout ({@code -Dhomestack.await.timeout}, default 60 s; {@link #within} for one
 * chain) and fails with what it saw last. Each needs a {@link Capability}: on a cluster without it the test is skipped
 * with the reason, not failed. Every assertion that pods run also checks what a kubelet checks before starting them
 * ({@link #hasPodReferencesPresent}).
 *
 * <table>
 * <caption>capability each assertion needs</caption>
 * <tr><td>{@link #hasObject}, {@link #holdsRendered}, {@link #hasPodReferencesPresent}</td><td>API</td></tr>
 * <tr><td>{@link #hasDeploymentAvailable}, {@link #hasStatefulSetReady}</td><td>CONTROLLERS, SCHEDULING (+ VOLUMES with claim templates)</td></tr>
 * <tr><td>{@link #hasPvcBound}</td><td>VOLUMES</td></tr>
 * <tr><td>{@link #hasPodRunningOn}, {@link #hasPodUnschedulable}</td><td>SCHEDULING</td></tr>
 * <tr><td>{@link #hasSecretUnsealed}</td><td>SEALED_SECRETS</td></tr>
 * <tr><td>{@link #hasCertificateReady}</td><td>CERT_MANAGER</td></tr>
 * <tr><td>{@link #hasEndpointAnswering}, {@link #hasPodLogLine}</td><td>RUNNING_PODS</td></tr>
 * </table>
 */
public final class ClusterAssert extends AbstractAssert<ClusterAssert, TestCluster> {

    private Duration timeout = Settings.AWAIT_TIMEOUT.seconds(60);

    ClusterAssert(TestCluster cluster) {
        super(cluster, ClusterAssert.class);
    }

    /** Waits this long (instead of the default) in the assertions that follow. */
    public ClusterAssert within(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    private KubernetesClient client() {
        return actual.client();
    }

    /** The object exists (needs API). */
    public ClusterAssert hasObject(String apiVersion, String kind, String namespace, String name) {
        actual.require(Capability.API);
        String what = kind + " " + id(namespace, name) + " (" + apiVersion + ")";
        await(what + " to exist", () -> {
            var op = client().genericKubernetesResources(apiVersion, kind);
            GenericKubernetesResource r = namespace == null ? op.withName(name).get() : op.inNamespace(namespace).withName(name).get();
            return r != null ? null : "it does not exist";
        });
        return this;
    }

    /**
     * Each object exists and holds every field of its rendered form with the same value, as the API server stores it
     * (defaults and fields added by controllers aside; {@link RenderedFields}) (needs API).
     */
    public ClusterAssert holdsRendered(Collection<KubeObject> rendered) {
        actual.require(Capability.API);
        for (KubeObject o : rendered) {
            String what = o.kind() + " " + id(o.namespace(), o.name()) + " (" + o.source() + ") to hold its rendered fields";
            await(what, () -> {
                var op = client().genericKubernetesResources(o.apiVersion(), o.kind());
                GenericKubernetesResource live = o.namespace() == null ? op.withName(o.name()).get()
                        : op.inNamespace(o.namespace()).withName(o.name()).get();
                if (live == null) {
                    return "it does not exist";
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> liveBody = client().getKubernetesSerialization().convertValue(live, Map.class);
                List<String> differences = RenderedFields.differences(o.body(), liveBody);
                return differences.isEmpty() ? null : "it differs:\n  " + String.join("\n  ", differences);
            });
        }
        return this;
    }

    /** The Deployment is Available with all its replicas ready and up to date (needs CONTROLLERS, SCHEDULING). */
    public ClusterAssert hasDeploymentAvailable(String namespace, String name) {
        actual.require(Capability.CONTROLLERS);
        actual.require(Capability.SCHEDULING);
        await("Deployment " + id(namespace, name) + " to be available", () -> {
            Deployment d = client().apps().deployments().inNamespace(namespace).withName(name).get();
            if (d == null) {
                return "it does not exist";
            }
            int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            var s = d.getStatus();
            boolean available = s != null && s.getConditions() != null && s.getConditions().stream()
                    .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
            if (available && s.getObservedGeneration() != null && s.getObservedGeneration() >= d.getMetadata().getGeneration()
                    && Objects.equals(s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas(), want)
                    && Objects.equals(s.getUpdatedReplicas() == null ? 0 : s.getUpdatedReplicas(), want)) {
                return kubeletProblems(namespace, d.getSpec().getSelector().getMatchLabels());
            }
            return "status " + (s == null ? "none" : "available " + s.getAvailableReplicas() + "/" + want + ", conditions "
                    + (s.getConditions() == null ? "[]" : s.getConditions().stream()
                    .map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getReason() + ": " + c.getMessage() + ")").toList()))
                    + podsSummary(namespace, d.getSpec().getSelector().getMatchLabels());
        });
        return this;
    }

    /** The StatefulSet has all replicas ready at the current revision (needs CONTROLLERS, SCHEDULING, and VOLUMES
     * when it has volume claim templates). */
    public ClusterAssert hasStatefulSetReady(String namespace, String name) {
        actual.require(Capability.CONTROLLERS);
        actual.require(Capability.SCHEDULING);
        StatefulSet existing = client().apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (existing != null && existing.getSpec().getVolumeClaimTemplates() != null
                && !existing.getSpec().getVolumeClaimTemplates().isEmpty()) {
            actual.require(Capability.VOLUMES);
        }
        await("StatefulSet " + id(namespace, name) + " to be ready", () -> {
            StatefulSet s = client().apps().statefulSets().inNamespace(namespace).withName(name).get();
            if (s == null) {
                return "it does not exist";
            }
            int want = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
            var st = s.getStatus();
            int ready = st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
            if (ready == want && st.getObservedGeneration() != null && st.getObservedGeneration() >= s.getMetadata().getGeneration()
                    && Objects.equals(st.getCurrentRevision(), st.getUpdateRevision())) {
                return kubeletProblems(namespace, s.getSpec().getSelector().getMatchLabels());
            }
            return "ready " + ready + "/" + want + podsSummary(namespace, s.getSpec().getSelector().getMatchLabels());
        });
        return this;
    }

    /** The PersistentVolumeClaim is Bound (needs VOLUMES; on envtest the kit's static provisioner binds it). */
    public ClusterAssert hasPvcBound(String namespace, String name) {
        actual.require(Capability.VOLUMES);
        await("PersistentVolumeClaim " + id(namespace, name) + " to be Bound", () -> {
            PersistentVolumeClaim c = client().persistentVolumeClaims().inNamespace(namespace).withName(name).get();
            if (c == null) {
                return "it does not exist";
            }
            String phase = c.getStatus() == null ? null : c.getStatus().getPhase();
            return "Bound".equals(phase) ? null : "phase " + phase + events(namespace, "PersistentVolumeClaim", name);
        });
        return this;
    }

    /** The cert-manager Certificate has condition Ready=True (needs CERT_MANAGER; on envtest the simulation issues it). */
    public ClusterAssert hasCertificateReady(String namespace, String name) {
        actual.require(Capability.CERT_MANAGER);
        await("Certificate " + id(namespace, name) + " to be Ready", () -> {
            GenericKubernetesResource c = client().genericKubernetesResources("cert-manager.io/v1", "Certificate")
                    .inNamespace(namespace).withName(name).get();
            if (c == null) {
                return "it does not exist";
            }
            List<Map<String, Object>> conditions = conditions(c);
            return conditions.stream().anyMatch(m -> "Ready".equals(m.get("type")) && "True".equals(m.get("status")))
                    ? null : "conditions " + conditions;
        });
        return this;
    }

    /**
     * The SealedSecret has been unsealed: the Secret of the same name exists, owned by it (needs SEALED_SECRETS).
     * Failing, says what the controller reported (e.g. "no key could decrypt secret").
     */
    public ClusterAssert hasSecretUnsealed(String namespace, String name) {
        actual.require(Capability.SEALED_SECRETS);
        await("SealedSecret " + id(namespace, name) + " to be unsealed into a Secret", () -> {
            var secret = client().secrets().inNamespace(namespace).withName(name).get();
            if (secret != null && secret.getMetadata().getOwnerReferences() != null && secret.getMetadata().getOwnerReferences()
                    .stream().anyMatch(o -> "SealedSecret".equals(o.getKind()) && name.equals(o.getName()))) {
                return null;
            }
            GenericKubernetesResource sealed = client().genericKubernetesResources("bitnami.com/v1alpha1", "SealedSecret")
                    .inNamespace(namespace).withName(name).get();
            return sealed == null ? "the SealedSecret does not exist"
                    : (secret == null ? "no Secret" : "the Secret is not owned by the SealedSecret") + "; SealedSecret conditions "
                    + conditions(sealed) + events(namespace, "SealedSecret", name);
        });
        return this;
    }

    /**
     * Every object the pod's spec references exists: Secrets and ConfigMaps (with the keys used) of env, envFrom,
     * volumes and imagePullSecrets, PersistentVolumeClaims, the ServiceAccount; {@code optional: true} ones may be
     * missing (needs API). Every "Running" assertion checks this too: kwok reports pods Running without looking, a
     * kubelet would fail them ({@code CreateContainerConfigError}, {@code FailedMount}).
     */
    public ClusterAssert hasPodReferencesPresent(String namespace, String pod) {
        actual.require(Capability.API);
        await("the objects pod " + id(namespace, pod) + " references to exist", () -> {
            Pod p = client().pods().inNamespace(namespace).withName(pod).get();
            return p == null ? "it does not exist" : kubeletProblems(List.of(p));
        });
        return this;
    }

    /** The pod is Running on that node (needs SCHEDULING); if it stays Pending, the failure says why (scheduler). */
    public ClusterAssert hasPodRunningOn(String namespace, String pod, String node) {
        actual.require(Capability.SCHEDULING);
        await("pod " + id(namespace, pod) + " to run on node " + node, () -> {
            Pod p = client().pods().inNamespace(namespace).withName(pod).get();
            if (p == null) {
                return "it does not exist";
            }
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            String on = p.getSpec().getNodeName();
            if ("Running".equals(phase) && node.equals(on)) {
                return kubeletProblems(List.of(p));
            }
            return "phase " + phase + (on == null ? ", not scheduled" : " on node " + on) + schedulingReason(p);
        });
        return this;
    }

    /**
     * The scheduler found no node for the pod: it is Pending with PodScheduled=False (Unschedulable). Returns the
     * scheduler's message, e.g. "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. ..."
     * (needs SCHEDULING).
     */
    public String hasPodUnschedulable(String namespace, String pod) {
        actual.require(Capability.SCHEDULING);
        AtomicReference<String> message = new AtomicReference<>();
        await("pod " + id(namespace, pod) + " to be unschedulable", () -> {
            Pod p = client().pods().inNamespace(namespace).withName(pod).get();
            if (p == null) {
                return "it does not exist";
            }
            PodCondition scheduled = scheduledCondition(p);
            if (p.getSpec().getNodeName() == null && scheduled != null && "False".equals(scheduled.getStatus())
                    && "Unschedulable".equals(scheduled.getReason())) {
                message.set(scheduled.getMessage());
                return null;
            }
            return "phase " + (p.getStatus() == null ? null : p.getStatus().getPhase())
                    + (p.getSpec().getNodeName() == null ? "" : ", scheduled on node " + p.getSpec().getNodeName());
        });
        return message.get();
    }

    /** An HTTP GET of the path through the Service (port-forwarded) answers 2xx or 3xx (needs RUNNING_PODS). */
    public ClusterAssert hasEndpointAnswering(String namespace, String service, int port, String path) {
        actual.require(Capability.RUNNING_PODS);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        await("service " + id(namespace, service) + ":" + port + path + " to answer", () -> {
            try (LocalPortForward forward = client().services().inNamespace(namespace).withName(service).portForward(port)) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + forward.getLocalPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() < 400 ? null : "HTTP " + r.statusCode() + ": " + abbreviate(r.body());
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        });
        return this;
    }

    /** The pod's log (its first container, or all with a single container) contains the text (needs RUNNING_PODS). */
    public ClusterAssert hasPodLogLine(String namespace, String pod, String text) {
        actual.require(Capability.RUNNING_PODS);
        await("the log of pod " + id(namespace, pod) + " to contain \"" + text + "\"", () -> {
            try {
                String log = client().pods().inNamespace(namespace).withName(pod).getLog();
                return log != null && log.lines().anyMatch(l -> l.contains(text)) ? null
                        : "last lines: " + (log == null ? "" : abbreviate(String.join("\n", log.lines()
                        .skip(Math.max(0, log.lines().count() - 10)).toList())));
            } catch (KubernetesClientException e) {
                return e.getMessage();
            }
        });
        return this;
    }

    /** Polls until check returns null (satisfied); else fails with its last answer. */
    private void await(String what, Supplier<String> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 100;
        while (true) {
            String problem;
            try {
                problem = check.get();
            } catch (KubernetesClientException e) {
                problem = e.getMessage();
            }
            if (problem == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                failWithMessage("expected %s on %s within %d s, but %s", what, actual.description(), timeout.toSeconds(), problem);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            pause = Math.min(1000, pause * 2);
        }
    }

    private String kubeletProblems(String namespace, Map<String, String> selector) {
        return kubeletProblems(client().pods().inNamespace(namespace).withLabels(selector).list().getItems());
    }

    /** Null when a kubelet would start every pod; else what it would report, e.g. CreateContainerConfigError. */
    private String kubeletProblems(List<Pod> pods) {
        PodReferences references = new PodReferences(client());
        List<String> problems = pods.stream().flatMap(p -> references.problems(p).stream()).toList();
        return problems.isEmpty() ? null : "a kubelet would not start " + (pods.size() == 1 ? "the pod" : "its pods")
                + " (kwok reports pods Running without this check): " + String.join("; ", problems);
    }

    private String podsSummary(String namespace, Map<String, String> selector) {
        if (selector == null || selector.isEmpty()) {
            return "";
        }
        List<Pod> pods = client().pods().inNamespace(namespace).withLabels(selector).list().getItems();
        return "; pods: " + (pods.isEmpty() ? "none" : pods.stream().map(p -> p.getMetadata().getName() + " "
                + (p.getStatus() == null ? "" : p.getStatus().getPhase())
                + (p.getSpec().getNodeName() == null ? "" : " on " + p.getSpec().getNodeName())
                + (p.getSpec().getNodeName() == null ? schedulingReason(p) : "")).collect(Collectors.joining(", ")));
    }

    /** Why a pod is not scheduled: its PodScheduled condition and the FailedScheduling events. */
    private String schedulingReason(Pod p) {
        PodCondition c = scheduledCondition(p);
        String condition = c == null || "True".equals(c.getStatus()) ? ""
                : " (PodScheduled=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage() + ")";
        return condition + events(p.getMetadata().getNamespace(), "Pod", p.getMetadata().getName());
    }

    private static PodCondition scheduledCondition(Pod p) {
        return p.getStatus() == null || p.getStatus().getConditions() == null ? null : p.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
    }

    /** Warning events of an object, e.g. "; events: FailedScheduling: 0/3 nodes are available: ...". */
    private String events(String namespace, String kind, String name) {
        try {
            List<Event> events = client().v1().events().inNamespace(namespace)
                    .withField("involvedObject.name", name).withField("involvedObject.kind", kind).list().getItems();
            List<String> warnings = events.stream().filter(e -> "Warning".equals(e.getType()))
                    .map(e -> e.getReason() + ": " + e.getMessage()).distinct().toList();
            return warnings.isEmpty() ? "" : "; events: " + String.join(" | ", warnings);
        } catch (KubernetesClientException e) {
            return "";
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> conditions(GenericKubernetesResource r) {
        Object status = r.getAdditionalProperties().get("status");
        Object conditions = status instanceof Map<?, ?> m ? m.get("conditions") : null;
        return conditions instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static String id(String namespace, String name) {
        return namespace == null ? name : namespace + "/" + name;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }
}
