package io.homestack.apps.homeautomation;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.test.BundleRenders;

import java.util.List;
import java.util.Map;

/** Reading Home Assistant's pod and ConfigMap out of a render (shared by the render test and the engine test). */
final class HomeAssistantRender {

    static final String SEED = "seed-config";

    private HomeAssistantRender() {
    }

    static Map<String, Object> podSpec(BundleRenders renders, String env) {
        return PodSpecs.of(renders.object(env, "Deployment", HomeAssistantBundleTest.APP));
    }

    static Map<String, Object> container(Map<String, Object> pod, String name) {
        return PodSpecs.containers(pod).stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Map<String, Object> seedContainer(Map<String, Object> pod) {
        return PodSpecs.initContainers(pod).stream().filter(c -> SEED.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no init container " + SEED));
    }

    /** The env entry {@code name} of a container without its name: {value: ...} or {valueFrom: ...}. */
    static Map<String, Object> env(Map<String, Object> container, String name) {
        Map<String, Object> entry = KubeObject.list(container.get("env")).stream().map(KubeObject::map)
                .filter(e -> name.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + container.get("name")));
        Map<String, Object> rest = new java.util.LinkedHashMap<>(entry);
        rest.remove("name");
        return rest;
    }

    static Map<String, Object> mountAt(Map<String, Object> container, String path) {
        return KubeObject.list(container.get("volumeMounts")).stream().map(KubeObject::map)
                .filter(m -> path.equals(m.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path + " in " + container.get("name")));
    }

    /** The volume mounted at {@code path} in the container. */
    static Map<String, Object> volumeAt(Map<String, Object> pod, Map<String, Object> container, String path) {
        Object name = mountAt(container, path).get("name");
        return KubeObject.list(pod.get("volumes")).stream().map(KubeObject::map).filter(v -> name.equals(v.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The data of the ConfigMap the pod mounts at {@code /seed} (configuration.yaml, seed-config.py). */
    static Map<String, Object> configMapData(BundleRenders renders, String env) {
        Map<String, Object> pod = podSpec(renders, env);
        String name = KubeObject.string(KubeObject.path(volumeAt(pod, seedContainer(pod), "/seed"), "configMap")
                .get("name"));
        return KubeObject.path(renders.object(env, "ConfigMap", name).body(), "data");
    }

    static String configuration(BundleRenders renders, String env) {
        return KubeObject.string(configMapData(renders, env).get("configuration.yaml"));
    }

    static List<Object> command(Map<String, Object> container) {
        return KubeObject.list(container.get("command"));
    }
}
