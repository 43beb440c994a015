package io.homestack.bundle.render;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a kustomization with {@code kustomize build} or, failing that, {@code kubectl kustomize}.
 * The overlay is wrapped in a generated kustomization that turns on origin annotations, so every object
 * knows the file it came from; the annotation is removed again before the object is used.
 */
public final class Kustomize {

    static final String ORIGIN = "config.kubernetes.io/origin";
    private static final long TIMEOUT_SECONDS = 120;

    private final List<String> command;

    private Kustomize(List<String> command) {
        this.command = command;
    }

    /** Finds {@code kustomize} or {@code kubectl} on the PATH, or says what to install. */
    public static Kustomize locate() {
        return locate(System.getenv("PATH"));
    }

    /** @param path the PATH to search, a list of directories */
    public static Kustomize locate(String path) {
        return ExternalTool.onPath("kustomize", path).map(p -> new Kustomize(List.of(p.toString(), "build")))
                .or(() -> ExternalTool.onPath("kubectl", path).map(p -> new Kustomize(List.of(p.toString(), "kustomize"))))
                .orElseThrow(() -> new BundleException("Neither kustomize nor kubectl is on the PATH; homestack renders"
                        + " a bundle's own objects with one of them. Install kubectl (it has kustomize built in) or"
                        + " kustomize v5, or run .ci/run which installs what the build needs."));
    }

    public static Kustomize using(List<String> command) {
        return new Kustomize(List.copyOf(command));
    }

    /**
     * @param bundleDir the bundle root (origins are made relative to it)
     * @param overlay   the directory holding the kustomization to build
     * @param workDir   a scratch directory for the wrapper kustomization
     */
    public List<KubeObject> build(String bundle, Path bundleDir, Path overlay, Path workDir) {
        try {
            KustomizeInputs.check(bundleDir, overlay);
        } catch (BundleException e) {
            throw new BundleException("[" + bundle + "] " + e.getMessage(), e);
        }
        Path wrapper = workDir.toAbsolutePath().normalize();
        String target = wrapper.relativize(overlay.toAbsolutePath().normalize()).toString();
        try {
            Files.createDirectories(wrapper);
            Files.writeString(wrapper.resolve("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                    + "kind: Kustomization\nresources:\n  - " + target + "\nbuildMetadata:\n  - originAnnotations\n");
        } catch (IOException e) {
            throw new BundleException("cannot write " + wrapper + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(command);
        // The default, said explicitly: files a kustomization names must be below it.
        cmd.addAll(List.of("--load-restrictor", "LoadRestrictionsRootOnly", wrapper.toString()));
        ExternalTool.Result result = ExternalTool.run(cmd, bundleDir, null, TIMEOUT_SECONDS);
        String shown = bundleDir.toAbsolutePath().normalize().relativize(overlay.toAbsolutePath().normalize()).toString();
        if (result.exitCode() != 0) {
            throw new BundleException("[" + bundle + "] kustomize failed on " + shown + " (" + String.join(" ", command)
                    + "):\n" + (result.stderr().isBlank() ? result.stdout() : result.stderr()).strip());
        }
        List<KubeObject> objects = new ArrayList<>();
        for (Map<String, Object> doc : Yaml.readAll(result.stdout(), "kustomize output of " + shown)) {
            objects.add(new KubeObject(doc, origin(doc, wrapper, bundleDir, shown)));
        }
        return objects;
    }

    /** Reads and removes the origin annotation; falls back to the overlay for generated objects. */
    private static String origin(Map<String, Object> doc, Path wrapper, Path bundleDir, String fallback) {
        Map<String, Object> metadata = KubeObject.map(doc.get("metadata"));
        Map<String, Object> annotations = KubeObject.map(metadata.get("annotations"));
        Object raw = annotations.get(ORIGIN);
        if (raw == null) {
            return fallback;
        }
        annotations.remove(ORIGIN);
        if (annotations.isEmpty()) {
            metadata.remove("annotations");
        }
        Map<String, Object> origin = Yaml.readMap(raw.toString(), ORIGIN);
        Object path = origin.containsKey("path") ? origin.get("path") : origin.get("configuredIn");
        if (path == null) {
            return fallback;
        }
        Path file = wrapper.resolve(path.toString()).normalize();
        return bundleDir.toAbsolutePath().normalize().relativize(file).toString();
    }
}
