package io.homestack.bundle.test;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The nodes a test cluster simulates (envtest: kwok fake nodes), in the inventory format of
 * {@code clusters/k3s/inventory.yaml}:
 * <pre>
 * apiVersion: homestack.io/v1alpha1   # optional KRM header: kustomize reads the inventory as a replacements source
 * kind: Inventory
 * metadata: {name: k3s, annotations: {config.kubernetes.io/local-config: "true"}}
 * storage:                            # optional
 *   nas: {server: nas-1.home.arpa, share: /export/homestack}   # the `nas` StorageClass's NFS export
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
public record Topology(String name, String source, List<NodeSpec> nodes, Optional<NasExport> nas) {

    public static final String K3D = "k3d";
    public static final String K3S = "k3s";
    public static final String K3D_INVENTORY = "clusters/k3d/inventory.yaml";
    public static final String K3S_INVENTORY = "clusters/k3s/inventory.yaml";
    /** The KRM header an inventory may carry (all or nothing), so kustomize can read it. */
    public static final String API_VERSION = "homestack.io/v1alpha1";
    public static final String KIND = "Inventory";

    public Topology {
        nodes = List.copyOf(nodes);
        nas = nas == null ? Optional.empty() : nas;
    }

    public Topology(String name, String source, List<NodeSpec> nodes) {
        this(name, source, nodes, Optional.empty());
    }

    /** The NFS export behind the {@code nas} StorageClass ({@code storage.nas} of the inventory). */
    public record NasExport(String server, String share) {
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
     * Parses an inventory strictly: unknown keys, duplicate names, missing cpu/memory, a partial or wrong KRM header
     * and an incomplete {@code storage.nas} are errors.
     */
    public static Topology parse(String name, String yaml, String source) {
        List<Map<String, Object>> docs = Yaml.readAll(yaml, source);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(source + ": expected one YAML document with 'nodes', found " + docs.size());
        }
        Map<String, Object> doc = docs.get(0);
        unknownKeys(doc, Set.of("apiVersion", "kind", "metadata", "storage", "nodes"), source);
        header(doc, source);
        Optional<NasExport> nas = nas(doc.get("storage"), source);
        List<Object> entries = KubeObject.list(doc.get("nodes"));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(source + ": 'nodes' is missing or empty");
        }
        List<NodeSpec> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = source + ": nodes[" + i + "]";
            Map<String, Object> entry = KubeObject.map(entries.get(i));
            unknownKeys(entry, Set.of("name", "role", "labels", "capacity", "taints"), where);
            String nodeName = KubeObject.string(entry.get("name"));
            if (nodeName == null || !nodeName.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
                throw new IllegalArgumentException(where + ": 'name' must be a DNS name, got " + nodeName);
            }
            if (!names.add(nodeName)) {
                throw new IllegalArgumentException(where + ": node '" + nodeName + "' is listed twice");
            }
            String role = KubeObject.string(entry.getOrDefault("role", "agent"));
            if (!role.equals("server") && !role.equals("agent")) {
                throw new IllegalArgumentException(where + " (" + nodeName + "): role must be server or agent, got " + role);
            }
            Map<String, String> capacity = strings(entry.get("capacity"), where + " (" + nodeName + ").capacity");
            for (String required : List.of("cpu", "memory")) {
                if (!capacity.containsKey(required)) {
                    throw new IllegalArgumentException(where + " (" + nodeName + "): capacity." + required + " is required");
                }
            }
            List<Map<String, Object>> taints = KubeObject.list(entry.get("taints")).stream().map(KubeObject::map).toList();
            nodes.add(new NodeSpec(nodeName, role, strings(entry.get("labels"), where + " (" + nodeName + ").labels"),
                    capacity, taints));
        }
        return new Topology(name, source, nodes, nas);
    }

    /** apiVersion, kind and metadata.name together or not at all (kustomize needs all three). */
    private static void header(Map<String, Object> doc, String source) {
        boolean any = doc.containsKey("apiVersion") || doc.containsKey("kind") || doc.containsKey("metadata");
        if (!any) {
            return;
        }
        if (!API_VERSION.equals(doc.get("apiVersion")) || !KIND.equals(doc.get("kind"))) {
            throw new IllegalArgumentException(source + ": an inventory with a KRM header has apiVersion " + API_VERSION
                    + " and kind " + KIND + ", got " + doc.get("apiVersion") + " and " + doc.get("kind"));
        }
        if (!(doc.get("metadata") instanceof Map<?, ?> metadata) || KubeObject.string(metadata.get("name")) == null) {
            throw new IllegalArgumentException(source + ": metadata.name is required with apiVersion and kind");
        }
    }

    private static Optional<NasExport> nas(Object storage, String source) {
        if (storage == null) {
            return Optional.empty();
        }
        if (!(storage instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(source + ": storage must be a map");
        }
        Map<String, Object> map = KubeObject.map(storage);
        unknownKeys(map, Set.of("nas"), source + ": storage");
        if (map.get("nas") == null) {
            return Optional.empty();
        }
        Map<String, String> nas = strings(map.get("nas"), source + ": storage.nas");
        unknownKeys(new LinkedHashMap<>(nas), Set.of("server", "share"), source + ": storage.nas");
        String server = nas.get("server");
        String share = nas.get("share");
        if (server == null || !server.matches("[A-Za-z0-9]([-A-Za-z0-9.:]*[A-Za-z0-9])?")) {
            throw new IllegalArgumentException(source + ": storage.nas.server must be a host name or IP address, got " + server);
        }
        if (share == null || !share.startsWith("/")) {
            throw new IllegalArgumentException(source + ": storage.nas.share must be an absolute path, got " + share);
        }
        return Optional.of(new NasExport(server, share));
    }

    private static void unknownKeys(Map<String, Object> map, Set<String> known, String where) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static Map<String, String> strings(Object value, String where) {
        if (value != null && !(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(where + " must be a map");
        }
        Map<String, String> out = new LinkedHashMap<>();
        KubeObject.map(value).forEach((k, v) -> {
            if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) {
                throw new IllegalArgumentException(where + "." + k + " must be a string, got " + v);
            }
            out.put(k, v.toString());
        });
        return out;
    }
}
