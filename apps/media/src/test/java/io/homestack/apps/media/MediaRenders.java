package io.homestack.apps.media;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.test.BundleRenders;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The media objects of an environment ({@link BundleRenders}): k3d as built; k3s, not shipped yet (bundle.yaml: its
 * Secrets cannot be sealed until the home cluster's certificate is committed), as its overlay renders.
 */
final class MediaRenders {

    private static final BundleRenders RENDERS = BundleRenders.ofModule();

    static final Path BUNDLE_DIR = RENDERS.bundleDir();

    /** The environments the bundle ships (bundle.yaml). */
    static List<String> shippedEnvironments() {
        return RENDERS.shippedEnvironments();
    }

    List<KubeObject> objects(String env) {
        return RENDERS.objects(env);
    }

    List<KubeObject> objects(String env, String kind) {
        return RENDERS.objects(env, kind);
    }

    KubeObject object(String env, String kind, String name) {
        return RENDERS.object(env, kind, name);
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
}
