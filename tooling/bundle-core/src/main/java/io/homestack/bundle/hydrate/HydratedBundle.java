package io.homestack.bundle.hydrate;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.render.RenderedBundle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bundle's charts rendered per environment.
 *
 * @param kubeVersion  the Kubernetes version the templates saw as {@code .Capabilities.KubeVersion}
 * @param environments environment name to its charts, in {@code bundle.yaml} order
 */
public record HydratedBundle(Bundle bundle, String kubeVersion, Map<String, List<HydratedChart>> environments) {

    public HydratedBundle {
        environments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environments));
    }

    /** Every chart-rendered object of one environment. */
    public List<KubeObject> objects(String environment) {
        return environments.getOrDefault(environment, List.of()).stream()
                .flatMap(chart -> chart.objects().stream()).toList();
    }

    /** The chart-rendered objects in the shape the policy {@code Validator} takes. */
    public RenderedBundle asRendered() {
        Map<String, List<KubeObject>> objects = new LinkedHashMap<>();
        environments.keySet().forEach(env -> objects.put(env, objects(env)));
        return new RenderedBundle(bundle, objects);
    }
}
