package io.homestack.bundle.release;

import io.homestack.bundle.BundleException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives Argo CD sync waves from the bundle dependency graph: a bundle's wave is one more than the highest wave of
 * the bundles it needs, so nothing is numbered by hand.
 */
public final class SyncWaves {

    private SyncWaves() {
    }

    /**
     * @param dependencies bundle name to the names it depends on; every name must be a key
     * @return bundle name to wave, in the iteration order of {@code dependencies}
     */
    public static Map<String, Integer> of(Map<String, List<String>> dependencies) {
        Map<String, Integer> waves = new LinkedHashMap<>();
        Map<String, Boolean> visiting = new HashMap<>();
        for (String bundle : dependencies.keySet()) {
            wave(bundle, dependencies, waves, visiting, new ArrayList<>());
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        dependencies.keySet().forEach(b -> ordered.put(b, waves.get(b)));
        return ordered;
    }

    private static int wave(String bundle, Map<String, List<String>> deps, Map<String, Integer> waves,
                            Map<String, Boolean> visiting, List<String> path) {
        Integer known = waves.get(bundle);
        if (known != null) {
            return known;
        }
        path.add(bundle);
        if (Boolean.TRUE.equals(visiting.put(bundle, true))) {
            List<String> cycle = path.subList(path.indexOf(bundle), path.size());
            throw new BundleException("bundle dependency cycle: " + String.join(" -> ", cycle)
                    + "; a bundle cannot need, directly or not, a bundle that needs it");
        }
        int wave = 0;
        for (String dep : deps.get(bundle)) {
            if (!deps.containsKey(dep)) {
                throw new BundleException("bundle '" + bundle + "' needs '" + dep + "', which the release does not"
                        + " contain; add it as a dependency of the release module");
            }
            wave = Math.max(wave, wave(dep, deps, waves, visiting, path) + 1);
        }
        visiting.put(bundle, false);
        path.remove(path.size() - 1);
        waves.put(bundle, wave);
        return wave;
    }
}
