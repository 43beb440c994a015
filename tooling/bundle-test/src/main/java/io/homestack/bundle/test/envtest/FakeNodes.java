package io.homestack.bundle.test.envtest;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homestack.bundle.test.Topology;
import io.homestack.bundle.test.internal.Await;
import io.homestack.bundle.test.internal.Transient;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The topology's nodes as kwok-managed Node objects, with the labels, capacity and taints a k3s kubelet reports. */
final class FakeNodes {

    private static final Duration CREATE_BUDGET = Duration.ofSeconds(120);

    private FakeNodes() {
    }

    static void create(KubernetesClient client, Topology topology, String kubernetesVersion, String kwokVersion) {
        String kubelet = kubernetesVersion + "+k3s1";
        for (Topology.NodeSpec spec : topology.nodes()) {
            Map<String, Quantity> capacity = new LinkedHashMap<>();
            spec.effectiveCapacity().forEach((k, v) -> capacity.put(k, new Quantity(v)));
            List<Taint> taints = spec.taints().stream()
                    .map(m -> client.getKubernetesSerialization().convertValue(m, Taint.class)).toList();
            Node node = new NodeBuilder()
                    .withNewMetadata().withName(spec.name()).withLabels(spec.effectiveLabels())
                    .addToAnnotations(NodeComponents.KWOK_ANNOTATION, "fake").addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                    .endMetadata()
                    .withNewSpec().withTaints(taints).endSpec()
                    .withNewStatus().withCapacity(capacity).withAllocatable(capacity).withPhase("Running")
                    .withNewNodeInfo().withKubeletVersion(kubelet).withKubeProxyVersion(kubelet)
                    .withArchitecture("amd64").withOperatingSystem("linux")
                    .withContainerRuntimeVersion("kwok://" + kwokVersion).endNodeInfo()
                    .endStatus().build();
            Transient.retry("creating node " + spec.name(), CREATE_BUDGET, () -> {
                if (client.nodes().withName(spec.name()).get() == null) {
                    client.nodes().resource(node).create();
                }
            });
        }
    }

    /**
     * Waits until every node is Ready and schedulable and the controllers act (the {@code default} service account
     * exists); fails at once, with its log, when a process stops.
     */
    static void awaitReady(KubernetesClient client, Topology topology, ProcessGroup processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> notReady = topology.nodeNames().stream().filter(n -> !ready(get(() -> client.nodes().withName(n).get())))
                    .toList();
            if (notReady.isEmpty()) {
                break;
            }
            processes.failIfAnyStopped();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kwok did not make nodes " + notReady + " Ready within " + timeout.toSeconds()
                        + " s: " + processes.find("kwok").map(ManagedProcess::report).orElse(""));
            }
            Await.sleep(100);
        }
        while (get(() -> client.serviceAccounts().inNamespace("default").withName("default").get()) == null) {
            processes.failIfAnyStopped();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kube-controller-manager created no default service account within "
                        + timeout.toSeconds() + " s: " + processes.find("kube-controller-manager").map(ManagedProcess::report).orElse(""));
            }
            Await.sleep(100);
        }
    }

    /** The object, or null while the API server is too busy to answer (polled again). */
    private static <T> T get(Supplier<T> read) {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            if (Transient.is(e)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Ready (kwok's node-initialize stage) and schedulable: the node lifecycle controller has removed the
     * {@code node.kubernetes.io/not-ready} taint that admission put on the new node.
     */
    private static boolean ready(Node node) {
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
                && (node.getSpec().getTaints() == null || node.getSpec().getTaints().stream()
                .noneMatch(t -> t.getKey().startsWith("node.kubernetes.io/")));
    }
}
