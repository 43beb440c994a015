package io.homestack.bundle.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds the pod specs and containers inside workload objects of any built-in kind. */
public final class PodSpecs {

    private PodSpecs() {
    }

    /** The pod spec of a workload, or null when the object runs no pods. */
    public static Map<String, Object> of(KubeObject object) {
        if (!"".equals(object.group()) && !"apps".equals(object.group()) && !"batch".equals(object.group())) {
            return null;
        }
        Map<String, Object> body = object.body();
        return switch (object.kind()) {
            case "Pod" -> KubeObject.path(body, "spec");
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" ->
                    KubeObject.path(body, "spec", "template", "spec");
            case "CronJob" -> KubeObject.path(body, "spec", "jobTemplate", "spec", "template", "spec");
            default -> null;
        };
    }

    public static List<Map<String, Object>> containers(Map<String, Object> podSpec) {
        return named(podSpec, "containers");
    }

    public static List<Map<String, Object>> initContainers(Map<String, Object> podSpec) {
        return named(podSpec, "initContainers");
    }

    public static List<Map<String, Object>> allContainers(Map<String, Object> podSpec) {
        List<Map<String, Object>> all = new ArrayList<>(initContainers(podSpec));
        all.addAll(containers(podSpec));
        return all;
    }

    /** Every image the given objects run. */
    public static List<String> images(List<KubeObject> objects) {
        List<String> images = new ArrayList<>();
        for (KubeObject object : objects) {
            Map<String, Object> spec = of(object);
            if (spec != null) {
                allContainers(spec).forEach(c -> images.add(KubeObject.string(c.get("image"))));
            }
        }
        return images;
    }

    /** The volume of the pod spec that {@code container} mounts at {@code mountPath}; null when there is none. */
    public static Map<String, Object> volumeMountedAt(Map<String, Object> podSpec, Map<String, Object> container,
                                                      String mountPath) {
        return KubeObject.list(container.get("volumeMounts")).stream().map(KubeObject::map)
                .filter(m -> mountPath.equals(m.get("mountPath"))).map(m -> m.get("name")).findFirst()
                .flatMap(name -> named(podSpec, "volumes").stream().filter(v -> name.equals(v.get("name"))).findFirst())
                .orElse(null);
    }

    private static List<Map<String, Object>> named(Map<String, Object> podSpec, String key) {
        return KubeObject.list(podSpec.get(key)).stream().map(KubeObject::map).toList();
    }
}
