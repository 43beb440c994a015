package io.homestack.bundle.test;

import io.homestack.bundle.inventory.Inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The nodes a test cluster simulates (envtest: kwok fake nodes), in the inventory format of
 * {@code clusters/k3s/inventory.yaml}:
 * <pre>
 * apiVersion: homestack.io/v1alpha1   # optional KRM header: kustomize reads the inventory as a replacements source
 * kind: Inventory
 * metadata: {name: k3s, annotations: {config.kubernetes.io/local-config: "true"}}
 * storage:                            # optional
 *   nas: {server: nas-1.home.example.net, share: /export/homestack}   # the `nas` StorageClass's NFS export
 * nodes:
 *   - name: gpu-1
 *     role: agent                 # optional: server adds the control-plane role labels
 *     labels: {hardware/nvidia: "true"}
 *     capacity: {cpu: "16", memory: 64Gi, nvidia.com/gpu: "1"}   # pods defaults to 110
 *     taints: [{key: k, value: v, effect: NoSchedule}]           # optional
 * </pre>
 * Every node also gets the labels the k3s kubelet sets (hostname, os, arch, instance-type k3s).
 * Named topologies: {@code k3d} (the repository's {@code clusters/k3d/inventory.yaml}, which {@code
 * clusters/k3d/cluster.yaml} creates for real), {@code k3s} ({@code clusters/k3s/inventory.yaml}); anything else is a
 * path.
 */
public record Topology(String name, String source, List<NodeSpec> nodes, Optional<Inventory.Nas> nas) {

    public static final String K3D = "k3d";
    public static final String K3S = "k3s";
    public static final String K3D_INVENTORY = "clusters/k3d/inventory.yaml";
    public static final String K3S_INVENTORY = "clusters/k3s/inventory.yaml";
    /** The KRM header an inventory may carry (all or nothing), so kustomize can read it. */
    public static final String API_VERSION = Inventory.API_VERSION;
    public static final String KIND = Inventory.KIND;

    public Topology {
        nodes = List.copyOf(nodes);
        nas = nas == null ? Optional.empty() : nas;
    }

    public Topology(String name, String source, List<NodeSpec> nodes) {
        this(name, source, nodes, Optional.empty());
    }

    /** One node: the inventory entry. */
    public record NodeSpec(String name, String role, Map<String, String> labels, Map<String, String> capacity,
                           List<Map<String, Object>> taints) {

        public NodeSpec {
            labels = Map.copyOf(labels);
            capacity = Map.copyOf(capacity);
            taints = List.copyOf(taints);
        }

        public boolean isServer() {
            return "server".equals(role);
        }

        /** The inventory labels plus what the k3s kubelet (and, for servers, k3s) sets, sorted. */
        public Map<String, String> effectiveLabels() {
            Map<String, String> all = new TreeMap<>();
            all.put("beta.kubernetes.io/arch", "amd64");
            all.put("beta.kubernetes.io/instance-type", "k3s");
            all.put("beta.kubernetes.io/os", "linux");
            all.put("kubernetes.io/arch", "amd64");
            all.put("kubernetes.io/hostname", name);
            all.put("kubernetes.io/os", "linux");
            all.put("node.kubernetes.io/instance-type", "k3s");
            if (isServer()) {
                all.put("node-role.kubernetes.io/control-plane", "true");
                all.put("node-role.kubernetes.io/master", "true");
            }
            all.putAll(labels);
            return all;
        }

        /** Capacity with the kubelet's defaults for pods and ephemeral storage. */
        public Map<String, String> effectiveCapacity() {
            Map<String, String> all = new TreeMap<>();
            all.put("pods", "110");
            all.put("ephemeral-storage", "100Gi");
            all.putAll(capacity);
            return all;
        }
    }

    /** The nodes that carry a label with this value. */
    public List<String> nodesLabelled(String key, String value) {
        return nodes.stream().filter(n -> value.equals(n.effectiveLabels().get(key))).map(NodeSpec::name).toList();
    }

    public List<String> nodeNames() {
        return nodes.stream().map(NodeSpec::name).toList();
    }

    /** k3d, k3s or a path (absolute, or relative to the repository root). */
    public static Topology named(String nameOrPath, Path repoRoot) {
        String inventory = K3D.equals(nameOrPath) ? K3D_INVENTORY : K3S.equals(nameOrPath) ? K3S_INVENTORY : null;
        Path file = repoRoot.resolve(inventory != null ? inventory : nameOrPath);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("topology '" + nameOrPath + "': " + file + " does not exist"
                    + (inventory != null ? " (the " + nameOrPath + " node inventory)" : "; use k3d, k3s or an inventory file"));
        }
        return read(inventory != null ? nameOrPath : file.getFileName().toString().replaceFirst("\\.ya?ml$", ""), file);
    }

    public static Topology read(String name, Path file) {
        try {
            return parse(name, Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Parses an inventory strictly (bundle-core's {@link Inventory}: unknown keys, duplicate names, missing
     * cpu/memory, a partial or wrong KRM header and an incomplete {@code storage.nas} are errors).
     */
    public static Topology parse(String name, String yaml, String source) {
        Inventory inventory = Inventory.parse(yaml, source);
        return new Topology(name, source, inventory.nodes().stream()
                .map(n -> new NodeSpec(n.name(), n.role(), n.labels(), n.capacity(), n.taints())).toList(),
                inventory.nas());
    }
}
