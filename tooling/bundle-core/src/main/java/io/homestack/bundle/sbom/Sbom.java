package io.homestack.bundle.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.CanonicalJson;
import io.homestack.bundle.oci.Digests;
import io.homestack.bundle.oci.OciLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The CycloneDX 1.6 SBOM of a homestack artifact, read from the artifact itself (its layer), so it describes exactly
 * what was pushed: for a bundle its charts (with repository and version), the images it runs per environment and
 * its own objects (kind, namespace, name, the SHA-256 of the rendered file); for a release every bundle by digest
 * plus the charts and images they bring. No timestamp and no random serial number: the same artifact gives the same
 * bytes, so pushing it again changes nothing.
 */
public final class Sbom {

    public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json";
    static final String RELEASE_JSON = ".homestack/release.json";
    static final String BUNDLE_JSON = ".homestack/bundle.json";
    /** The label tooling/base-image/build.sh gives the base image: its Debian packages, package=version, comma-separated. */
    static final String BASE_PACKAGES = "io.homestack.base.packages";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Sbom() {
    }

    /**
     * @param repositoryUrl where the artifact lives, {@code registry/prefix/name}, for its package URL
     */
    public static byte[] of(OciLayout artifact, String repositoryUrl) {
        if (artifact.isImage()) {
            return image(artifact, repositoryUrl);
        }
        SortedMap<String, byte[]> files = LayerFiles.read(artifact.layerFile());
        String where = artifact.dir().toString();
        String digest = artifact.manifestDigest();
        if (files.containsKey(RELEASE_JSON)) {
            return release(read(files, RELEASE_JSON, where), digest, repositoryUrl);
        }
        if (files.containsKey(BUNDLE_JSON)) {
            return bundle(read(files, BUNDLE_JSON, where), files, digest, repositoryUrl, where);
        }
        throw new BundleException(where + ": neither " + BUNDLE_JSON + " nor " + RELEASE_JSON + " in its layer; not a"
                + " homestack bundle or release, so there is nothing to describe");
    }

    private static byte[] bundle(JsonNode meta, SortedMap<String, byte[]> files, String digest, String repositoryUrl,
                                 String where) {
        Components components = new Components();
        for (JsonNode chart : meta.path("charts")) {
            components.chart(chart.path("chart").asText(chart.path("name").asText()), chart.path("version").asText(),
                    chart.path("repository").asText(), chart.path("namespace").asText(),
                    join(chart.path("environments")));
        }
        Map<String, List<String>> imageEnvironments = new TreeMap<>();
        meta.path("images").fields().forEachRemaining(env -> env.getValue().forEach(image ->
                imageEnvironments.computeIfAbsent(image.asText(), i -> new ArrayList<>()).add(env.getKey())));
        imageEnvironments.forEach((image, envs) -> components.image(image, String.join(",", envs)));
        files.forEach((path, bytes) -> {
            if (!path.startsWith(".homestack/") && path.endsWith(".yaml")) {
                components.object(path, bytes, object(path, bytes, where));
            }
        });
        return write(meta, digest, repositoryUrl, components);
    }

    /**
     * A container image built here (a Java component): its layers by digest, its Java libraries (Maven coordinates from
     * the jars, {@link ImageLibraries}) and the Debian packages of its base, which the base image lists in its
     * {@value #BASE_PACKAGES} label (tooling/base-image/build.sh); name and version from the image's OCI labels.
     */
    private static byte[] image(OciLayout artifact, String repositoryUrl) {
        JsonNode config;
        try {
            config = JSON.readTree(java.nio.file.Files.readAllBytes(artifact.blobPath(artifact.manifest().config().digest())));
        } catch (IOException e) {
            throw new BundleException(artifact.dir() + ": cannot read the image config: " + e.getMessage(), e);
        }
        JsonNode labels = config.path("config").path("Labels");
        Components components = new Components();
        String packages = labels.path(BASE_PACKAGES).asText("");
        for (String pin : packages.isEmpty() ? new String[0] : packages.split(",")) {
            int eq = pin.indexOf('=');
            components.debian(pin.substring(0, eq), pin.substring(eq + 1), config.path("architecture").asText());
        }
        ImageLibraries.read(artifact).forEach(components::library);
        artifact.manifest().layers().forEach(layer -> components.layer(layer.digest(), layer.size()));
        ObjectNode meta = JSON.createObjectNode().put("name", labels.path("org.opencontainers.image.title")
                .asText(artifact.dir().toString())).put("version", labels.path("org.opencontainers.image.version").asText());
        return write(meta, artifact.manifestDigest(), repositoryUrl, components);
    }

    private static byte[] release(JsonNode meta, String digest, String repositoryUrl) {
        Components components = new Components();
        for (JsonNode bundle : meta.path("bundles")) {
            String repository = bundle.path("repository").asText().replaceFirst("^oci://", "");
            components.bundle(bundle.path("name").asText(), bundle.path("version").asText(),
                    bundle.path("digest").asText(), repository, bundle.path("group").asText(),
                    bundle.path("wave").asText());
        }
        for (JsonNode chart : meta.path("charts")) {
            components.chart(chart.path("chart").asText(chart.path("name").asText()), chart.path("version").asText(),
                    chart.path("repository").asText(), null, meta.path("environment").asText());
        }
        meta.path("images").forEach(image -> components.image(image.asText(), meta.path("environment").asText()));
        return write(meta, digest, repositoryUrl, components);
    }

    private static byte[] write(JsonNode meta, String digest, String repositoryUrl, Components components) {
        ObjectNode bom = JSON.createObjectNode();
        bom.put("bomFormat", "CycloneDX");
        bom.put("specVersion", "1.6");
        bom.put("version", 1);
        ObjectNode subject = bom.putObject("metadata").putObject("component");
        String name = meta.path("name").asText();
        subject.put("type", "application");
        subject.put("bom-ref", "artifact:" + name);
        subject.put("name", name);
        subject.put("version", meta.path("version").asText());
        if (meta.hasNonNull("description")) {
            subject.put("description", meta.path("description").asText());
        }
        subject.put("purl", Purls.oci(name, digest, repositoryUrl));
        bom.set("components", components.sorted());
        return CanonicalJson.write(bom);
    }

    private static JsonNode read(SortedMap<String, byte[]> files, String path, String where) {
        try {
            return JSON.readTree(files.get(path));
        } catch (IOException e) {
            throw new BundleException(where + ": " + path + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** "apiVersion kind namespace name" of a rendered object file. */
    private static JsonNode object(String path, byte[] bytes, String where) {
        try {
            JsonNode node = YAML.readTree(bytes);
            if (node == null || !node.hasNonNull("kind")) {
                throw new BundleException(where + ": " + path + " is not a Kubernetes object (no kind)");
            }
            return node;
        } catch (IOException e) {
            throw new BundleException(where + ": " + path + " is not YAML: " + e.getMessage(), e);
        }
    }

    private static String join(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return String.join(",", values);
    }

    /** The components, by bom-ref (unique: a chart or image used twice is one component). */
    private static final class Components {
        private final Map<String, ObjectNode> byRef = new TreeMap<>();

        void chart(String chart, String version, String repository, String namespace, String environments) {
            ObjectNode c = component("chart:" + chart + "@" + version, "application", chart, version);
            c.put("purl", Purls.helm(chart, version, repository));
            properties(c, "homestack:kind", "helm-chart", "homestack:repository", repository,
                    "homestack:namespace", namespace, "homestack:environments", environments);
        }

        void image(String image, String environments) {
            int at = image.indexOf('@');
            String ref = at >= 0 ? image.substring(0, at) : image;
            int colon = ref.lastIndexOf(':') > ref.lastIndexOf('/') ? ref.lastIndexOf(':') : -1;
            ObjectNode c = component("image:" + image, "container", colon < 0 ? ref : ref.substring(0, colon),
                    colon < 0 ? image.substring(at + 1) : ref.substring(colon + 1));
            c.put("purl", Purls.docker(image));
            if (at >= 0 && !c.has("hashes")) {
                c.putArray("hashes").addObject().put("alg", "SHA-256")
                        .put("content", image.substring(at + 1).replaceFirst("^sha256:", ""));
            }
            properties(c, "homestack:environments", environments);
        }

        void debian(String name, String version, String arch) {
            ObjectNode c = component("deb:" + name + "@" + version, "library", name, version);
            c.put("purl", Purls.deb(name, version, arch));
            properties(c, "homestack:kind", "base-image-package");
        }

        void library(ImageLibraries.Library jar) {
            ObjectNode c = component("jar:" + jar.file(), "library", jar.artifact() == null ? jar.file() : jar.artifact(),
                    jar.version());
            if (jar.group() != null) {
                c.put("group", jar.group());
                c.put("purl", Purls.maven(jar.group(), jar.artifact(), jar.version()));
            }
            c.putArray("hashes").addObject().put("alg", "SHA-256").put("content", jar.sha256());
            properties(c, "homestack:kind", "java-library", "homestack:file", "/app/libs/" + jar.file());
        }

        void layer(String digest, long size) {
            ObjectNode c = component("layer:" + digest, "data", digest, null);
            c.putArray("hashes").addObject().put("alg", "SHA-256").put("content", digest.substring("sha256:".length()));
            properties(c, "homestack:kind", "image-layer", "homestack:size", Long.toString(size));
        }

        void bundle(String name, String version, String digest, String repository, String group, String wave) {
            ObjectNode c = component("bundle:" + name, "application", name, version);
            c.put("purl", Purls.oci(name, digest, repository));
            c.putArray("hashes").addObject().put("alg", "SHA-256").put("content", digest.substring("sha256:".length()));
            properties(c, "homestack:kind", "bundle", "homestack:group", group, "homestack:wave", wave);
        }

        void object(String path, byte[] bytes, JsonNode object) {
            JsonNode metadata = object.path("metadata");
            String namespace = metadata.path("namespace").asText("");
            String name = object.path("kind").asText() + "/" + (namespace.isEmpty() ? "" : namespace + "/")
                    + metadata.path("name").asText();
            ObjectNode c = component("object:" + path, "data", name, null);
            c.putArray("hashes").addObject().put("alg", "SHA-256")
                    .put("content", Digests.sha256(bytes).substring("sha256:".length()));
            int slash = path.indexOf('/');
            properties(c, "homestack:kind", "object", "homestack:apiVersion", object.path("apiVersion").asText(),
                    "homestack:environment", slash < 0 ? "" : path.substring(0, slash), "homestack:file", path);
        }

        private ObjectNode component(String ref, String type, String name, String version) {
            ObjectNode c = JSON.createObjectNode();
            c.put("type", type);
            c.put("bom-ref", ref);
            c.put("name", name);
            if (version != null) {
                c.put("version", version);
            }
            byRef.putIfAbsent(ref, c);
            return byRef.get(ref);
        }

        private static void properties(ObjectNode c, String... pairs) {
            if (c.has("properties")) {
                return; // the first occurrence describes it
            }
            ArrayNode properties = c.putArray("properties");
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i + 1] != null && !pairs[i + 1].isEmpty()) {
                    properties.addObject().put("name", pairs[i]).put("value", pairs[i + 1]);
                }
            }
        }

        ArrayNode sorted() {
            ArrayNode array = JSON.createArrayNode();
            byRef.values().forEach(array::add);
            return array;
        }
    }
}
