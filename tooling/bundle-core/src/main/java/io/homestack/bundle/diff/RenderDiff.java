package io.homestack.bundle.diff;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.diff.ReleaseDiff.Change;
import io.homestack.bundle.diff.ReleaseDiff.ObjectChange;
import io.homestack.bundle.diff.ReleaseDiff.RenderChange;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The objects of two versions of one bundle artifact compared per environment directory ({@code k3d/}, {@code k3s/}),
 * keyed by apiVersion, kind, namespace and name. The bundle's own metadata (.homestack/) is left out: the release
 * diff reports its charts and images itself.
 */
final class RenderDiff {

    private RenderDiff() {
    }

    static List<RenderChange> of(String bundle, SortedMap<String, byte[]> before, SortedMap<String, byte[]> after) {
        SortedMap<String, SortedMap<String, Map<String, Object>>> a = objects(bundle, before);
        SortedMap<String, SortedMap<String, Map<String, Object>>> b = objects(bundle, after);
        List<RenderChange> changes = new ArrayList<>();
        for (String env : ReleaseDiffer.union(a, b)) {
            SortedMap<String, Map<String, Object>> x = a.getOrDefault(env, new TreeMap<>());
            SortedMap<String, Map<String, Object>> y = b.getOrDefault(env, new TreeMap<>());
            List<ObjectChange> objects = new ArrayList<>();
            Map<String, String> renamed = GeneratedNames.pairs(x, y);
            for (String key : ReleaseDiffer.union(x, y)) {
                if (renamed.containsValue(key)) {
                    continue; // reported with the name it replaced
                }
                Map<String, Object> next = y.get(renamed.getOrDefault(key, key));
                var fields = x.containsKey(key) && next != null ? FieldDiff.of(x.get(key), next) : null;
                Change change = ReleaseDiffer.change(x.get(key), next, fields != null && !fields.isEmpty());
                if (change != null) {
                    String shown = renamed.containsKey(key) ? key + " → " + GeneratedNames.name(renamed.get(key)) : key;
                    objects.add(new ObjectChange(shown, change, fields == null ? List.of() : fields));
                }
            }
            if (!objects.isEmpty()) {
                changes.add(new RenderChange(bundle, env, objects));
            }
        }
        return changes;
    }

    /** environment → (key → object) */
    private static SortedMap<String, SortedMap<String, Map<String, Object>>> objects(String bundle,
                                                                                     SortedMap<String, byte[]> files) {
        SortedMap<String, SortedMap<String, Map<String, Object>>> byEnv = new TreeMap<>();
        files.forEach((path, bytes) -> {
            int slash = path.indexOf('/');
            if (slash <= 0 || path.startsWith(".") || !path.endsWith(".yaml")) {
                return;
            }
            String source = bundle + ":" + path;
            for (Map<String, Object> body : Yaml.readAll(new String(bytes, StandardCharsets.UTF_8), source)) {
                String key = key(new KubeObject(body, source));
                if (byEnv.computeIfAbsent(path.substring(0, slash), e -> new TreeMap<>()).put(key, body) != null) {
                    throw new BundleException(source + ": " + key + " is in the artifact twice");
                }
            }
        });
        return byEnv;
    }

    /** "apps/v1 Deployment media/sonarr", or "v1 Namespace media" for cluster-scoped objects. */
    static String key(KubeObject o) {
        return o.apiVersion() + " " + o.kind() + " " + (o.namespace() == null ? "" : o.namespace() + "/") + o.name();
    }
}
