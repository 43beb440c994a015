package io.homestack.apps.media;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.render.Kustomize;
import io.homestack.bundle.test.BundleOutput;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The media objects of an environment. k3d is the bundle's rendered output ({@code target/bundle/k3d}). k3s is not
 * built (bundle.yaml: its Secrets cannot be sealed until the home cluster's certificate is committed), so its
 * overlay {@code manifests/k3s} is rendered here with kustomize, as the build will render it once k3s is enabled:
 * the tests keep the overlay ready.
 */
final class MediaRenders {

    static final Path BUNDLE_DIR = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();

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

    /** Secret name to the keys the pods of these objects read from it (env secretKeyRef, envFrom, volumes). */
    static Map<String, Set<String>> secretKeysReferenced(List<KubeObject> objects) {
        Map<String, Set<String>> refs = new TreeMap<>();
        for (KubeObject o : objects) {
            Map<String, Object> pod = PodSpecs.of(o);
            if (pod == null) {
                continue;
            }
            for (Map<String, Object> c : PodSpecs.allContainers(pod)) {
                for (Object e : KubeObject.list(c.get("env"))) {
                    Map<String, Object> ref = KubeObject.path(KubeObject.map(e), "valueFrom", "secretKeyRef");
                    if (!ref.isEmpty()) {
                        refs.computeIfAbsent(KubeObject.string(ref.get("name")), n -> new TreeSet<>())
                                .add(KubeObject.string(ref.get("key")));
                    }
                }
                for (Object e : KubeObject.list(c.get("envFrom"))) {
                    Map<String, Object> ref = KubeObject.path(KubeObject.map(e), "secretRef");
                    if (!ref.isEmpty()) {
                        refs.computeIfAbsent(KubeObject.string(ref.get("name")), n -> new TreeSet<>());
                    }
                }
            }
            for (Object v : KubeObject.list(pod.get("volumes"))) {
                Map<String, Object> secret = KubeObject.path(KubeObject.map(v), "secret");
                if (!secret.isEmpty()) {
                    refs.computeIfAbsent(KubeObject.string(secret.get("secretName")), n -> new TreeSet<>());
                }
            }
        }
        return refs;
    }

    private static synchronized List<KubeObject> k3sPreview(String env) {
        if (!"k3s".equals(env)) {
            throw new IllegalArgumentException("no environment " + env);
        }
        if (k3sPreview == null) {
            k3sPreview = Kustomize.locate().build("media", BUNDLE_DIR, BUNDLE_DIR.resolve("manifests/k3s"),
                    BUNDLE_DIR.resolve("target/k3s-preview"));
        }
        return k3sPreview;
    }
}
