package io.homestack.bundle.test;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.render.Kustomize;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The own objects of the bundle under test in every environment, also those bundle.yaml does not ship yet: a shipped
 * environment is the build's output ({@code target/bundle/<env>}); another is its overlay {@code manifests/<env>}
 * rendered with kustomize as the build will render it once the environment is enabled (e.g. k3s before its sealing
 * certificate exists), so that overlay stays tested and ready.
 */
public final class BundleRenders {

    private final Path bundleDir;
    private final BundleOutput output;
    private final Map<String, List<KubeObject>> previews = new HashMap<>();

    private BundleRenders(Path bundleDir, BundleOutput output) {
        this.bundleDir = bundleDir;
        this.output = output;
    }

    /** The module under test: its directory ({@code homestack.bundle.dir}) and its output. */
    public static BundleRenders ofModule() {
        return new BundleRenders(Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize(),
                BundleOutput.ofModule());
    }

    public Path bundleDir() {
        return bundleDir;
    }

    public BundleOutput output() {
        return output;
    }

    /** The environments the bundle ships (bundle.yaml). */
    public List<String> shippedEnvironments() {
        return Bundle.load(bundleDir).descriptor().environments();
    }

    public List<KubeObject> objects(String env) {
        return shippedEnvironments().contains(env) ? output.objects(env) : preview(env);
    }

    public List<KubeObject> objects(String env, String kind) {
        return objects(env).stream().filter(o -> kind.equals(o.kind())).toList();
    }

    /** The one object of a kind and name; fails naming how many there are and which. */
    public KubeObject object(String env, String kind, String name) {
        List<KubeObject> found = objects(env, kind).stream().filter(o -> name.equals(o.name())).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " " + kind + " named " + name + " in " + env + "; there are "
                    + objects(env, kind).stream().map(KubeObject::name).toList());
        }
        return found.get(0);
    }

    private synchronized List<KubeObject> preview(String env) {
        Path overlay = bundleDir.resolve("manifests").resolve(env);
        if (!overlay.toFile().isDirectory()) {
            throw new IllegalArgumentException("no environment " + env + ": bundle.yaml does not ship it and there is no "
                    + bundleDir.relativize(overlay));
        }
        return previews.computeIfAbsent(env, e -> Kustomize.locate().build(Bundle.load(bundleDir).name(), bundleDir,
                overlay, bundleDir.resolve("target/" + e + "-preview")));
    }
}
