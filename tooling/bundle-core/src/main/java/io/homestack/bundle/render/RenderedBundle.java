package io.homestack.bundle.render;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.model.Bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a bundle deploys, per environment: its own objects (from kustomize) and one Application per chart.
 *
 * @param environments environment name to the objects Argo CD applies there, in render order
 */
public record RenderedBundle(Bundle bundle, Map<String, List<KubeObject>> environments) {

    public List<KubeObject> objects(String environment) {
        return environments.getOrDefault(environment, List.of());
    }

    /**
     * Per environment, every image the bundle runs there: the bundle's declared images, those of the charts that
     * environment gets, and those our own objects run; sorted and unique.
     */
    public Map<String, List<String>> images() {
        Map<String, List<String>> byEnvironment = new TreeMap<>();
        environments.forEach((env, objects) -> {
            TreeSet<String> images = new TreeSet<>(bundle.descriptor().images());
            bundle.descriptor().chartsFor(env).forEach(chart -> images.addAll(chart.images()));
            PodSpecs.images(objects).stream().filter(Objects::nonNull).forEach(images::add);
            byEnvironment.put(env, new ArrayList<>(images));
        });
        return byEnvironment;
    }
}
