package io.homestack.it;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.mirror.MirrorReport;
import io.homestack.bundle.test.ArgoCdApplications;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.RepositoryBundles;
import io.homestack.bundle.test.release.ReleaseModule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which Applications of the release sync here, and why each other one does not: the mirror omitted it (its chart
 * or Git source cannot be had here: not deployed, so not verified, but its bundle is not held by it), its source
 * is not reachable here (kept upstream), it is in {@link #CANNOT_RUN_HERE}, it holds such a child (Argo CD
 * aggregates children's health), it is the root (its waves cannot all finish), or its wave comes after such a
 * blocked Application (Argo CD never creates it).
 */
record ReleasePlan(String root, String environment, List<String> syncable, Map<String, String> omitted, Map<String, String> blocked,
            Map<String, String> laterWaves, Map<String, Integer> bundleWaves, Set<String> emptied) {

    static ReleasePlan of(MirrorReport mirror, ReleaseModule module) {
        String env = module.environment();
        String root = module.name();
        Map<String, Object> release = readJson(module.manifest());
        Map<String, String> omitted = new TreeMap<>();
        mirror.omitted().forEach(o -> omitted.put(o.application(), "omitted from the relocated release by the"
                + " mirror: " + o.source() + " cannot be had here"));
        Set<String> mirroredSources = mirror.sources().stream().map(MirrorReport.Source::application)
                .collect(Collectors.toSet());
        Map<String, String> blocked = new TreeMap<>();
        Map<String, List<String>> children = new TreeMap<>();
        Map<String, Integer> waves = new TreeMap<>();
        Set<String> emptied = new TreeSet<>();
        for (Object b : KubeObject.list(release.get("bundles"))) {
            String bundle = KubeObject.string(KubeObject.map(b).get("name"));
            waves.put(bundle, Integer.parseInt(String.valueOf(KubeObject.map(b).get("wave"))));
            List<String> names = new ArrayList<>();
            BundleOutput render = render(module.repo(), bundle);
            if (render.objects(env).stream().allMatch(o -> omitted.containsKey(o.name()))) {
                emptied.add(bundle); // e.g. observability/tracing: charts only, all omitted
            }
            for (KubeObject app : render.objects(env, "Application")) {
                if (omitted.containsKey(app.name())) {
                    continue;
                }
                names.add(app.name());
                Map<String, Object> source = KubeObject.path(app.body(), "spec", "source");
                String repo = KubeObject.string(source.get("repoURL"));
                String chart = KubeObject.string(source.get("chart"));
                boolean chartMirrored = mirror.charts().stream().anyMatch(c -> c.bundle().equals(bundle)
                        && c.chart().equals(chart));
                if (chart != null && !chartMirrored) {
                    blocked.put(app.name(), "chart " + chart + " from " + repo + " could not be mirrored here");
                } else if (chart == null && !repo.startsWith("oci://") && !mirroredSources.contains(app.name())) {
                    blocked.put(app.name(), "its source " + repo + " is not reachable here");
                }
            }
            children.put(bundle, names);
            String held = names.stream().filter(blocked::containsKey).collect(Collectors.joining(", "));
            if (!held.isEmpty()) {
                blocked.put(bundle, "its child Application(s) " + held + " cannot sync here");
            } else if (CANNOT_RUN_HERE.containsKey(bundle)) {
                blocked.put(bundle, CANNOT_RUN_HERE.get(bundle));
            }
        }
        int firstBlockedWave = waves.entrySet().stream().filter(e -> blocked.containsKey(e.getKey()))
                .mapToInt(Map.Entry::getValue).min().orElse(Integer.MAX_VALUE);
        if (!blocked.isEmpty()) {
            blocked.put(root, "the root: its waves cannot all finish here");
        }
        Map<String, String> later = new TreeMap<>();
        List<String> syncable = new ArrayList<>();
        waves.forEach((bundle, wave) -> {
            List<String> all = new ArrayList<>(children.get(bundle));
            all.add(bundle);
            for (String name : all) {
                if (wave > firstBlockedWave) {
                    later.put(name, "wave " + wave + " waits for wave " + firstBlockedWave);
                } else if (!blocked.containsKey(name)) {
                    syncable.add(name);
                }
            }
        });
        later.keySet().forEach(blocked::remove);
        if (!blocked.containsKey(root)) {
            syncable.add(root);
        }
        return new ReleasePlan(root, env, syncable, omitted, blocked, later, waves, emptied);
    }

    /**
     * Checks that each synced bundle Application's first sync started (Argo CD's operationState, second precision)
     * no earlier than every synced bundle Application of an earlier wave finished its sync.
     *
     * @return the pairs checked, "later after earlier"
     */
    List<String> waveOrder(Map<String, ArgoCdApplications.Entry> timeline) {
        List<String> checked = new ArrayList<>();
        bundleWaves.forEach((later, laterWave) -> bundleWaves.forEach((earlier, earlierWave) -> {
            ArgoCdApplications.Entry l = timeline.get(later);
            ArgoCdApplications.Entry e = timeline.get(earlier);
            // A bundle whose objects the mirror all omitted is Synced with no sync operation: no times to order
            if (earlierWave < laterWave && l != null && e != null && !emptied.contains(later)
                    && !emptied.contains(earlier)) {
                assertThat(e.syncFinished()).as(earlier + " sync finished").isNotNull();
                assertThat(l.syncStarted()).as(later + " (wave " + laterWave + ") sync start, after " + earlier
                        + " (wave " + earlierWave + ") finished").isNotNull().isAfterOrEqualTo(e.syncFinished());
                checked.add(later + " after " + earlier);
            }
        }));
        return checked;
    }

    int notVerified() {
        return omitted.size() + blocked.size() + laterWaves.size();
    }

    void print() {
        System.out.println("[e2e] " + syncable.size() + " Applications must sync here: " + syncable);
        System.out.println("[e2e] " + notVerified() + " Applications NOT VERIFIED here (" + omitted.size()
                + " omitted, " + blocked.size() + " blocked, " + laterWaves.size() + " in later waves):");
        omitted.forEach((n, why) -> System.out.println("  " + n + ": " + why));
        emptied.forEach(n -> System.out.println("  " + n + ": synced, but every object of it was omitted (wave order"
                + " not checked)"));
        blocked.forEach((n, why) -> System.out.println("  " + n + ": " + why));
        laterWaves.forEach((n, why) -> System.out.println("  " + n + ": " + why + " (asserted: never created)"));
    }

    /**
     * Applications that cannot become Healthy here although their source is available, by name, with the reason.
     * Everything else the release contains must sync, unless its source cannot be had here (computed above). Empty
     * since cert-manager's contract is simulated (capability CERT_MANAGER).
     */
    static final Map<String, String> CANNOT_RUN_HERE = Map.of();

    /** A bundle's build output in this checkout. */
    static BundleOutput render(Path repo, String bundle) {
        return BundleOutput.of(repo.resolve(module(repo, bundle)).resolve("target/bundle"));
    }

    /** The module directory of a bundle, relative to the repository: {@code <group folder>/<name>}, found, not guessed. */
    static Path module(Path repo, String bundle) {
        List<Path> found = RepositoryBundles.all(repo).stream().filter(d -> d.getFileName().toString().equals(bundle))
                .toList();
        if (found.size() != 1) {
            throw new IllegalStateException("the release names bundle '" + bundle + "', but " + found.size()
                    + " bundle directories of " + repo + " are called so: " + found);
        }
        return repo.toAbsolutePath().normalize().relativize(found.get(0));
    }

    static Map<String, Object> readJson(Path file) {
        try {
            return Yaml.readMap(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (build the release first: mvn install)", e);
        }
    }
}
