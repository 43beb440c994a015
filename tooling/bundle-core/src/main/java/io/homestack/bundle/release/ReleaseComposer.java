package io.homestack.bundle.release;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.render.ArgoCd;
import io.homestack.bundle.render.BundleMetadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Composes a release: one Application per bundle pointing at the bundle's OCI artifact by digest with
 * {@code path: <environment>}, sync waves from the dependency graph, and the manifest. The AppProjects the
 * Applications name (their bundle's group) are objects of the argocd bundle, their one source.
 */
public final class ReleaseComposer {

    public record Release(ReleaseSpec spec, List<KubeObject> objects, ReleaseManifest manifest) {
    }

    public Release compose(ReleaseSpec spec, List<ReleasedBundle> bundles) {
        if (bundles.isEmpty()) {
            throw new BundleException("release " + spec.name() + " contains no bundles; add the bundles as dependencies"
                    + " of its module");
        }
        Map<String, ReleasedBundle> byName = new TreeMap<>();
        for (ReleasedBundle b : bundles) {
            if (byName.put(b.name(), b) != null) {
                throw new BundleException("release " + spec.name() + " contains bundle '" + b.name() + "' twice");
            }
            if (!b.metadata().environments().contains(spec.environment())) {
                throw new BundleException("bundle '" + b.name() + "' does not support environment '"
                        + spec.environment() + "' (it supports " + b.metadata().environments() + ")");
            }
        }
        Map<String, List<String>> graph = new LinkedHashMap<>();
        byName.forEach((name, b) -> graph.put(name,
                b.metadata().dependencies().stream().map(BundleMetadata.Dependency::name).sorted().toList()));
        Map<String, Integer> waves = SyncWaves.of(graph);

        List<KubeObject> objects = new ArrayList<>();
        byName.values().forEach(b -> objects.add(application(spec, b, waves.get(b.name()))));
        return new Release(spec, objects, manifest(spec, byName, waves));
    }

    private static ReleaseManifest manifest(ReleaseSpec spec, Map<String, ReleasedBundle> bundles, Map<String, Integer> waves) {
        List<ReleaseManifest.Bundle> entries = new ArrayList<>();
        List<ReleaseManifest.Chart> charts = new ArrayList<>();
        TreeSet<String> images = new TreeSet<>();
        for (ReleasedBundle b : bundles.values()) {
            BundleMetadata m = b.metadata();
            entries.add(new ReleaseManifest.Bundle(m.name(), m.version(), b.digest(), m.group(), waves.get(m.name()),
                    spec.repoUrl(m.name()), graphOf(m)));
            m.charts().stream().filter(c -> c.environments().contains(spec.environment()))
                    .forEach(c -> charts.add(new ReleaseManifest.Chart(m.name(), c.name(), c.repository(), c.chart(),
                            c.version())));
            images.addAll(m.images().getOrDefault(spec.environment(), List.of()));
        }
        charts.sort(Comparator.comparing(ReleaseManifest.Chart::bundle).thenComparing(ReleaseManifest.Chart::name));
        return new ReleaseManifest(spec.name(), spec.version(), spec.environment(), entries, charts, List.copyOf(images));
    }

    private static List<String> graphOf(BundleMetadata m) {
        return m.dependencies().stream().map(BundleMetadata.Dependency::name).sorted().toList();
    }

    private static KubeObject application(ReleaseSpec release, ReleasedBundle bundle, int wave) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", bundle.name());
        metadata.put("namespace", ArgoCd.NAMESPACE);
        metadata.put("labels", Map.of(ArgoCd.LABEL_BUNDLE, bundle.name(), ArgoCd.LABEL_PART_OF, "homestack"));
        metadata.put("annotations", Map.of(ArgoCd.SYNC_WAVE, Integer.toString(wave)));
        metadata.put("finalizers", List.of(ArgoCd.FINALIZER));
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("repoURL", release.repoUrl(bundle.name()));
        source.put("targetRevision", bundle.digest());
        source.put("path", release.environment());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("project", bundle.metadata().group());
        spec.put("source", source);
        spec.put("destination", Map.of("server", ArgoCd.IN_CLUSTER, "namespace", ArgoCd.NAMESPACE));
        spec.put("syncPolicy", ArgoCd.syncPolicy("ServerSideApply=true"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", ArgoCd.API_VERSION);
        body.put("kind", "Application");
        body.put("metadata", metadata);
        body.put("spec", spec);
        return new KubeObject(body, "release");
    }
}
