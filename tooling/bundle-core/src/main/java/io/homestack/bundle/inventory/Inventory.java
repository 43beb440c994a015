package io.homestack.bundle.inventory;

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

/**
 * A cluster's inventory ({@code clusters/k3s/inventory.yaml}): the release settings of the environment (the registry
 * the cluster pulls from, the apps' domain), the NAS export and the machines with their hardware labels. One strict
 * reader for every user: the test kit's simulated topology, the k3s release, {@code make label-nodes} (kustomize
 * reads the same file for its replacements). Unknown keys, duplicate names, missing cpu/memory, a partial or wrong KRM
 * header, an incomplete {@code storage.nas} or {@code zigbee} and labels kubectl would reject are errors naming the
 * file and the key.
 */
public record Inventory(String source, Optional<String> registry, Optional<String> domain, Optional<Nas> nas,
                        Optional<Zigbee> zigbee, List<Node> nodes) {

    /** The KRM header an inventory may carry (all or nothing), so kustomize can read it. */
    public static final String API_VERSION = "homestack.io/v1alpha1";
    public static final String KIND = "Inventory";

    private static final String HOST = "[A-Za-z0-9]([-A-Za-z0-9.:]*[A-Za-z0-9])?";
    private static final String LABEL_NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
    private static final String LABEL_KEY = "([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?" + LABEL_NAME;
    private static final String LABEL_VALUE = "(" + LABEL_NAME + ")?";

    public Inventory {
        nodes = List.copyOf(nodes);
    }

    /** The NFS export behind the {@code nas} StorageClass ({@code storage.nas}). */
    public record Nas(String server, String share) {
    }

    /**
     * The USB Zigbee coordinator on the {@code hardware/zigbee} node ({@code zigbee}): its Zigbee2MQTT adapter type
     * and its stable device path on that node, which the device plugin exposes (apps/home-automation, k3s overlay).
     */
    public record Zigbee(String adapter, String device) {
    }

    /** One machine. */
    public record Node(String name, String role, Map<String, String> labels, Map<String, String> capacity,
                       List<Map<String, Object>> taints) {

        public Node {
            labels = Map.copyOf(labels);
            capacity = Map.copyOf(capacity);
            taints = List.copyOf(taints);
        }
    }

    /** The registry the cluster pulls from; a release for this cluster cannot be composed without it. */
    public String requireRegistry() {
        return registry.orElseThrow(() -> new IllegalArgumentException(source + ": registry is missing (the registry"
                + " the cluster pulls the release and its bundles from, host[:port])"));
    }

    public static Inventory read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static Inventory parse(String yaml, String source) {
        List<Map<String, Object>> docs = Yaml.readAll(yaml, source);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(source + ": expected one YAML document with 'nodes', found " + docs.size());
        }
        Map<String, Object> doc = docs.get(0);
        unknownKeys(doc, Set.of("apiVersion", "kind", "metadata", "registry", "domain", "storage", "zigbee", "nodes"),
                source);
        header(doc, source);
        Optional<String> registry = host(doc, "registry", source);
        Optional<String> domain = host(doc, "domain", source);
        Optional<Nas> nas = nas(doc.get("storage"), source);
        Optional<Zigbee> zigbee = zigbee(doc.get("zigbee"), source);
        List<Object> entries = KubeObject.list(doc.get("nodes"));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(source + ": 'nodes' is missing or empty");
        }
        List<Node> nodes = new ArrayList<>();
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
            Map<String, String> labels = strings(entry.get("labels"), where + " (" + nodeName + ").labels");
            labels.forEach((k, v) -> {
                // what kubectl label accepts; the generated commands then need no quoting
                if (!k.matches(LABEL_KEY) || !v.matches(LABEL_VALUE)) {
                    throw new IllegalArgumentException(where + " (" + nodeName + ").labels: '" + k + "=" + v
                            + "' is not a valid Kubernetes label (key: [prefix/]name, value: up to 63 of [-A-Za-z0-9_.])");
                }
            });
            List<Map<String, Object>> taints = KubeObject.list(entry.get("taints")).stream().map(KubeObject::map).toList();
            nodes.add(new Node(nodeName, role, labels, capacity, taints));
        }
        return new Inventory(source, registry, domain, nas, zigbee, nodes);
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

    private static Optional<String> host(Map<String, Object> doc, String key, String source) {
        Object value = doc.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s) || !s.matches(HOST)) {
            throw new IllegalArgumentException(source + ": " + key + " must be a host name (host[:port]), got " + value);
        }
        return Optional.of(s);
    }

    private static Optional<Nas> nas(Object storage, String source) {
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
        if (server == null || !server.matches(HOST)) {
            throw new IllegalArgumentException(source + ": storage.nas.server must be a host name or IP address, got " + server);
        }
        if (share == null || !share.startsWith("/")) {
            throw new IllegalArgumentException(source + ": storage.nas.share must be an absolute path, got " + share);
        }
        return Optional.of(new Nas(server, share));
    }

    private static Optional<Zigbee> zigbee(Object value, String source) {
        if (value == null) {
            return Optional.empty();
        }
        Map<String, String> zigbee = strings(value, source + ": zigbee");
        unknownKeys(new LinkedHashMap<>(zigbee), Set.of("adapter", "device"), source + ": zigbee");
        String adapter = zigbee.get("adapter");
        String device = zigbee.get("device");
        // The adapter's spelling is Zigbee2MQTT's to check (its settings schema); here only that it is one word.
        if (adapter == null || !adapter.matches("[a-z][a-z0-9]*")) {
            throw new IllegalArgumentException(source + ": zigbee.adapter must be a Zigbee2MQTT adapter type such as"
                    + " ember, zstack or deconz, got " + adapter);
        }
        // A device path under /dev (one JSON-safe word per segment: the device plugin's flag is JSON text).
        if (device == null || !device.matches("/dev(/[A-Za-z0-9_.:+-]+)+")) {
            throw new IllegalArgumentException(source + ": zigbee.device must be the coordinator's device path under"
                    + " /dev (best /dev/serial/by-id/..., stable across reboots), got " + device);
        }
        return Optional.of(new Zigbee(adapter, device));
    }

    private static void unknownKeys(Map<String, ?> map, Set<String> known, String where) {
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
