package io.homestack.bundle.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI image manifest ({@value MediaTypes#OCI_MANIFEST}). Only this media type is modelled: Argo CD cannot use
 * an index, and homestack bundles are never one.
 *
 * @param artifactType may be null for manifests not written by homestack
 * @param subject      the manifest this one refers to (an OCI 1.1 referrer, e.g. an SBOM); null for artifacts
 */
public record OciManifest(String artifactType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations,
                          Descriptor subject) {

    public OciManifest {
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    public OciManifest(String artifactType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
        this(artifactType, config, layers, annotations, null);
    }

    public String annotation(String key) {
        return annotations.get(key);
    }

    /** The bundle's content layer; fails unless there is exactly one, as Argo CD 3.1 requires. */
    public Descriptor singleLayer() {
        if (layers.size() != 1) {
            throw new IllegalStateException("expected exactly one layer, found " + layers.size());
        }
        return layers.get(0);
    }

    /** Config first, then the layers: the order in which a registry must receive them. */
    public List<Descriptor> blobs() {
        List<Descriptor> blobs = new ArrayList<>(layers.size() + 1);
        blobs.add(config);
        blobs.addAll(layers);
        return blobs;
    }

    public byte[] toCanonicalJson() {
        ObjectNode node = CanonicalJson.mapper().createObjectNode();
        node.put("schemaVersion", 2);
        node.put("mediaType", MediaTypes.OCI_MANIFEST);
        if (artifactType != null) {
            node.put("artifactType", artifactType);
        }
        node.set("config", config.toJson());
        ArrayNode layerArray = node.putArray("layers");
        layers.forEach(layer -> layerArray.add(layer.toJson()));
        if (subject != null) {
            node.set("subject", subject.toJson());
        }
        if (!annotations.isEmpty()) {
            ObjectNode a = node.putObject("annotations");
            annotations.forEach(a::put);
        }
        return CanonicalJson.write(node);
    }

    /**
     * Parses manifest bytes from a layout or registry.
     *
     * @param where names the manifest in error messages
     * @throws IllegalArgumentException if it is not an OCI image manifest
     */
    public static OciManifest parse(byte[] json, String where) {
        JsonNode node;
        try {
            node = CanonicalJson.parse(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object");
        }
        JsonNode mediaType = node.get("mediaType");
        if (mediaType != null && !MediaTypes.OCI_MANIFEST.equals(mediaType.asText())) {
            throw new IllegalArgumentException(where + " has media type " + mediaType.asText()
                    + "; expected an OCI image manifest (" + MediaTypes.OCI_MANIFEST + ")");
        }
        if (node.path("schemaVersion").asInt() != 2) {
            throw new IllegalArgumentException(where + " has schemaVersion " + node.get("schemaVersion") + ", expected 2");
        }
        JsonNode layersNode = node.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw new IllegalArgumentException(where + " has no layers array");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < layersNode.size(); i++) {
            layers.add(Descriptor.fromJson(layersNode.get(i), where + " layers[" + i + "]"));
        }
        JsonNode artifactType = node.get("artifactType");
        JsonNode subject = node.get("subject");
        return new OciManifest(artifactType == null ? null : artifactType.asText(),
                Descriptor.fromJson(node.get("config"), where + " config"), layers,
                Descriptor.stringMap(node.get("annotations"), where),
                subject == null ? null : Descriptor.fromJson(subject, where + " subject"));
    }
}
