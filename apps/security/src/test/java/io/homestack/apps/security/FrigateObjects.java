package io.homestack.apps.security;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.test.BundleRenders;

import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Frigate's objects in a render of the security bundle, for the tests of this module. */
final class FrigateObjects {

    static final String CONFIG_KEY = "config.yml";

    private FrigateObjects() {
    }

    static Map<String, Object> podTemplate(BundleRenders output, String env) {
        return KubeObject.path(output.object(env, "Deployment", "frigate").body(), "spec", "template");
    }

    static Map<String, Object> podSpec(BundleRenders output, String env) {
        return PodSpecs.of(output.object(env, "Deployment", "frigate"));
    }

    static Map<String, Object> frigate(Map<String, Object> podSpec) {
        return PodSpecs.containers(podSpec).stream().filter(c -> "frigate".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container frigate"));
    }

    /** The generated ConfigMap frigate-config-<hash>: exactly one. */
    static KubeObject configMap(BundleRenders output, String env) {
        var found = output.objects(env, "ConfigMap").stream().filter(c -> c.name().startsWith("frigate-config-")).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " ConfigMaps frigate-config-* in " + env);
        }
        return found.get(0);
    }

    /** The rendered config.yml of the environment. */
    static String config(BundleRenders output, String env) {
        return KubeObject.string(KubeObject.map(configMap(output, env).body().get("data")).get(CONFIG_KEY));
    }

    static String env(Map<String, Object> container, String name) {
        return KubeObject.list(container.get("env")).stream().map(KubeObject::map).filter(e -> name.equals(e.get("name")))
                .map(e -> KubeObject.string(e.get("value"))).findFirst()
                .orElseThrow(() -> new AssertionError(container.get("name") + " has no env " + name));
    }

    static Map<String, Object> volumeMountedAt(Map<String, Object> podSpec, Map<String, Object> container, String path) {
        Map<String, Object> volume = PodSpecs.volumeMountedAt(podSpec, container, path);
        if (volume == null) {
            throw new AssertionError(container.get("name") + " mounts no volume at " + path);
        }
        return volume;
    }

    static String volumeName(Map<String, Object> podSpec, Map<String, Object> container, String path) {
        return KubeObject.string(volumeMountedAt(podSpec, container, path).get("name"));
    }

    static String claimMountedAt(Map<String, Object> podSpec, Map<String, Object> container, String path) {
        return KubeObject.string(KubeObject.path(volumeMountedAt(podSpec, container, path), "persistentVolumeClaim")
                .get("claimName"));
    }

    static Map<String, Object> servicePort(BundleRenders output, String env, String name) {
        return KubeObject.list(KubeObject.path(output.object(env, "Service", "frigate").body(), "spec").get("ports"))
                .stream().map(KubeObject::map).filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("Service frigate has no port " + name));
    }

    /** The containerPort of Frigate's port named {@code name} (a Service targetPort). */
    static Object containerPort(BundleRenders output, String env, Object name) {
        return KubeObject.list(frigate(podSpec(output, env)).get("ports")).stream().map(KubeObject::map)
                .filter(p -> String.valueOf(name).equals(p.get("name"))).map(p -> p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("frigate has no port " + name));
    }

    static Map<String, String> strings(Map<String, Object> map) {
        return map.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Objects.toString(e.getValue())));
    }
}
