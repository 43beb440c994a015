package io.homestack.bundle.validate;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Our own workloads declare resource requests (cpu, memory) and a memory limit, liveness and readiness probes,
 * and a securityContext, and do not run privileged. A CPU limit is not required: it throttles without protecting.
 */
final class WorkloadHardening implements Rule {

    @Override
    public String id() {
        return "workload-hardening";
    }

    @Override
    public List<String> check(KubeObject object, List<KubeObject> all) {
        Map<String, Object> spec = PodSpecs.of(object);
        if (spec == null) {
            return List.of();
        }
        boolean podContext = !KubeObject.map(spec.get("securityContext")).isEmpty();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> c : PodSpecs.initContainers(spec)) {
            checkContainer(c, podContext, false, problems);
        }
        for (Map<String, Object> c : PodSpecs.containers(spec)) {
            checkContainer(c, podContext, !isBatch(object), problems);
        }
        return problems;
    }

    private static boolean isBatch(KubeObject object) {
        return "Job".equals(object.kind()) || "CronJob".equals(object.kind());
    }

    private static void checkContainer(Map<String, Object> c, boolean podContext, boolean probes, List<String> problems) {
        String name = "container '" + c.get("name") + "'";
        Map<String, Object> resources = KubeObject.map(c.get("resources"));
        Map<String, Object> requests = KubeObject.map(resources.get("requests"));
        Map<String, Object> limits = KubeObject.map(resources.get("limits"));
        List<String> missing = new ArrayList<>();
        if (!requests.containsKey("cpu")) {
            missing.add("resources.requests.cpu");
        }
        if (!requests.containsKey("memory")) {
            missing.add("resources.requests.memory");
        }
        if (!limits.containsKey("memory")) {
            missing.add("resources.limits.memory");
        }
        if (probes && !c.containsKey("livenessProbe")) {
            missing.add("livenessProbe");
        }
        if (probes && !c.containsKey("readinessProbe")) {
            missing.add("readinessProbe");
        }
        Map<String, Object> context = KubeObject.map(c.get("securityContext"));
        if (!podContext && context.isEmpty()) {
            missing.add("securityContext (on the pod or the container)");
        }
        if (!missing.isEmpty()) {
            problems.add(name + " has no " + String.join(", ", missing));
        }
        if (Boolean.TRUE.equals(context.get("privileged"))) {
            problems.add(name + " runs privileged");
        }
    }
}
