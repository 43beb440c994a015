package io.homestack.backup.objectstore;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.render.Kustomize;
import io.homestack.bundle.test.BundleOutput;

import java.nio.file.Path;
import java.util.List;

/**
 * The object-store objects of an environment. k3d is the bundle's rendered output ({@code target/bundle/k3d}). k3s is
 * not built (bundle.yaml: its Secrets cannot be sealed until the home cluster's certificate is committed), so its
 * overlay {@code manifests/k3s} is rendered here with kustomize, as the build will render it once k3s is enabled.
 */
final class ObjectStoreRenders {

    static final Path BUNDLE_DIR = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();
    static final String NAMESPACE = "object-store";

    private static List<KubeObject> k3sPreview;

    private final BundleOutput output = BundleOutput.ofModule();

    /** The environments the bundle ships (bundle.yaml). */
    static List<String> shippedEnvironments() {
        return Bundle.load(BUNDLE_DIR).descriptor().environments();
    }

    List<KubeObject> objects(String env) {
        return shippedEnvironments().contains(env) ? output.objects(env) : k3sPreview(env);
    }

    List<KubeObject> objects(String env, String kind) {
        return objects(env).stream().filter(o -> kind.equals(o.kind())).toList();
    }

    KubeObject object(String env, String kind, String name) {
        List<KubeObject> found = objects(env, kind).stream().filter(o -> name.equals(o.name())).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " " + kind + " named " + name + " in " + env + "; there are "
                    + objects(env, kind).stream().map(KubeObject::name).toList());
        }
        return found.get(0);
    }

    private static synchronized List<KubeObject> k3sPreview(String env) {
        if (!"k3s".equals(env)) {
            throw new IllegalArgumentException("no environment " + env);
        }
        if (k3sPreview == null) {
            k3sPreview = Kustomize.locate().build("object-store", BUNDLE_DIR, BUNDLE_DIR.resolve("manifests/k3s"),
                    BUNDLE_DIR.resolve("target/k3s-preview"));
        }
        return k3sPreview;
    }
}
