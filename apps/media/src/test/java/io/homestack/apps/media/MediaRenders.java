package io.homestack.apps.media;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.test.BundleRenders;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        return PodSpecs.secretKeysReferenced(objects);
    }
}
