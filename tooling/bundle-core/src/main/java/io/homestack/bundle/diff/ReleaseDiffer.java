package io.homestack.bundle.diff;

import io.homestack.bundle.diff.ReleaseDiff.BundleChange;
import io.homestack.bundle.diff.ReleaseDiff.Change;
import io.homestack.bundle.diff.ReleaseDiff.ChartChange;
import io.homestack.bundle.diff.ReleaseDiff.ImageChange;
import io.homestack.bundle.diff.ReleaseDiff.ObjectChange;
import io.homestack.bundle.diff.ReleaseDiff.RenderChange;
import io.homestack.bundle.release.ReleaseManifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares two releases: the manifests (release.json) say which bundles, charts and images changed; only the bundles
 * whose digest changed are read, and their rendered objects compared per environment.
 *
 * <pre>{@code
 * ReleaseDiff diff = new ReleaseDiffer().diff(locator.read("clusters/k3d"), locator.read("host/homestack/release-k3d:1.0.0"));
 * String markdown = DiffReport.markdown(diff);
 * }</pre>
 */
public final class ReleaseDiffer {

    public ReleaseDiff diff(ReleaseArtifact from, ReleaseArtifact to) {
        Map<String, ReleaseManifest.Bundle> before = byKey(from.manifest().bundles(), ReleaseManifest.Bundle::name);
        Map<String, ReleaseManifest.Bundle> after = byKey(to.manifest().bundles(), ReleaseManifest.Bundle::name);
        List<BundleChange> bundles = new ArrayList<>();
        List<RenderChange> renders = new ArrayList<>();
        for (String name : union(before, after)) {
            ReleaseManifest.Bundle a = before.get(name);
            ReleaseManifest.Bundle b = after.get(name);
            Change change = change(a, b, a != null && b != null && !a.digest().equals(b.digest()));
            if (change != null) {
                bundles.add(new BundleChange(name, change, a == null ? null : a.version(), b == null ? null : b.version(),
                        a == null ? null : a.digest(), b == null ? null : b.digest()));
            }
            if (change == Change.CHANGED) {
                renders.addAll(RenderDiff.of(name, from.bundleFiles(a), to.bundleFiles(b)));
            }
        }
        return new ReleaseDiff(from.title(), to.title(), bundles, charts(from.manifest(), to.manifest()),
                images(from.manifest().images(), to.manifest().images()), renders);
    }

    private static List<ChartChange> charts(ReleaseManifest from, ReleaseManifest to) {
        Function<ReleaseManifest.Chart, String> key = c -> c.bundle() + "/" + c.name();
        Map<String, ReleaseManifest.Chart> before = byKey(from.charts(), key);
        Map<String, ReleaseManifest.Chart> after = byKey(to.charts(), key);
        List<ChartChange> changes = new ArrayList<>();
        for (String k : union(before, after)) {
            ReleaseManifest.Chart a = before.get(k);
            ReleaseManifest.Chart b = after.get(k);
            Change change = change(a, b, a != null && b != null && !describe(a).equals(describe(b)));
            if (change != null) {
                ReleaseManifest.Chart any = a != null ? a : b;
                changes.add(new ChartChange(any.bundle(), any.name(), change, a == null ? null : describe(a),
                        b == null ? null : describe(b)));
            }
        }
        return changes;
    }

    /** "chart version (repository)" */
    private static String describe(ReleaseManifest.Chart c) {
        return c.chart() + " " + c.version() + " (" + c.repository() + ")";
    }

    /** Images by repository: one reference on each side is a change; otherwise additions and removals. */
    private static List<ImageChange> images(List<String> from, List<String> to) {
        Map<String, TreeSet<String>> before = byRepository(from);
        Map<String, TreeSet<String>> after = byRepository(to);
        List<ImageChange> changes = new ArrayList<>();
        for (String repo : union(before, after)) {
            TreeSet<String> a = new TreeSet<>(before.getOrDefault(repo, new TreeSet<>()));
            TreeSet<String> b = new TreeSet<>(after.getOrDefault(repo, new TreeSet<>()));
            TreeSet<String> removed = new TreeSet<>(a);
            removed.removeAll(b);
            TreeSet<String> added = new TreeSet<>(b);
            added.removeAll(a);
            if (removed.size() == 1 && added.size() == 1) {
                changes.add(new ImageChange(repo, Change.CHANGED, removed.first(), added.first()));
                continue;
            }
            removed.forEach(r -> changes.add(new ImageChange(repo, Change.REMOVED, r, null)));
            added.forEach(r -> changes.add(new ImageChange(repo, Change.ADDED, null, r)));
        }
        return changes;
    }

    private static Map<String, TreeSet<String>> byRepository(List<String> images) {
        return images.stream().collect(Collectors.groupingBy(ReleaseDiffer::repository, TreeMap::new,
                Collectors.toCollection(TreeSet::new)));
    }

    /** registry/path without tag or digest */
    static String repository(String image) {
        String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }

    static Change change(Object before, Object after, boolean differs) {
        if (before == null) {
            return Change.ADDED;
        }
        if (after == null) {
            return Change.REMOVED;
        }
        return differs ? Change.CHANGED : null;
    }

    static <T> SortedMap<String, T> byKey(List<T> items, Function<T, String> key) {
        SortedMap<String, T> map = new TreeMap<>();
        (items == null ? List.<T>of() : items).forEach(i -> map.put(key.apply(i), i));
        return map;
    }

    static TreeSet<String> union(Map<String, ?> a, Map<String, ?> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
