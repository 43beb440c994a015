package io.homestack.apps.homeautomation;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.BundleRenders;
import io.homestack.bundle.test.TestCluster;

import java.util.List;
import java.util.Map;

/**
 * The home-automation objects of an environment ({@link BundleRenders}): k3d as built; k3s, not shipped yet (its
 * Secrets cannot be sealed until the home cluster's certificate is committed), as its overlay renders.
 */
final class HomeAutomationRenders {

    static final BundleRenders RENDERS = BundleRenders.ofModule();
    static final String NAMESPACE = "home-automation";
    /** Homebridge's own namespace (its host network on k3s needs `privileged`; README "Homebridge"). */
    static final String HOMEBRIDGE_NAMESPACE = "homebridge";

    private HomeAutomationRenders() {
    }

    /** The StorageClasses our claims ask for come from platform/storage, built before this bundle. */
    static void applyStorage(TestCluster cluster, String env) {
        cluster.apply(BundleOutput.of(RENDERS.bundleDir().resolve("../../platform/storage/target/bundle").normalize()), env);
    }

    static List<KubeObject> objects(String env) {
        return RENDERS.objects(env);
    }

    static KubeObject object(String env, String kind, String name) {
        return RENDERS.object(env, kind, name);
    }

    static Map<String, Object> podSpec(String env, String deployment) {
        return PodSpecs.of(object(env, "Deployment", deployment));
    }

    static Map<String, Object> container(Map<String, Object> podSpec, String name) {
        return PodSpecs.allContainers(podSpec).stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    /** The ConfigMap a pod mounts as volume {@code volume} (its generated name carries a content hash). */
    static KubeObject configMapOfVolume(String env, Map<String, Object> podSpec, String volume) {
        String name = KubeObject.list(podSpec.get("volumes")).stream().map(KubeObject::map)
                .filter(v -> volume.equals(v.get("name"))).map(v -> KubeObject.string(KubeObject.path(v, "configMap")
                        .get("name"))).findFirst().orElseThrow(() -> new AssertionError("no volume " + volume));
        return object(env, "ConfigMap", name);
    }
}
