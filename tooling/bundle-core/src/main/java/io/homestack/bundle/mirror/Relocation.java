package io.homestack.bundle.mirror;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The edits that relocate artifacts to the mirror, on unpacked trees. Only Argo CD Applications are touched, and only
 * those whose source is exactly the original (repoURL, chart, targetRevision) or (repoURL, digest): anything else in
 * the trees stays byte for byte as it was. A move without a destination omits: the matching Applications' files are
 * deleted (missing policy omit).
 */
final class Relocation {

    /** An Application source as it was and as it becomes; no newRepoUrl: the Application is removed. */
    record Move(String repoUrl, String chart, String revision, String newRepoUrl, String newRevision) {
        static Move omit(String repoUrl, String chart, String revision) {
            return new Move(repoUrl, chart, revision, null, null);
        }

        boolean omits() {
            return newRepoUrl == null;
        }

        boolean matches(Map<String, Object> source) {
            return repoUrl.equals(source.get("repoURL")) && Objects.equals(revision, source.get("targetRevision"))
                    && (chart == null ? source.get("chart") == null : chart.equals(source.get("chart")));
        }
    }

    private Relocation() {
    }

    /**
     * Points the bundle's chart and Git source Applications at the mirror (a chart: repoURL only, the chart name and
     * version are the same there; a Git source: repoURL and digest, its path and the rest unchanged) or removes them,
     * and records the mirror as the charts' repository in bundle.json (an omitted chart leaves its list).
     *
     * @param charts chart key (bundle.yaml {@code charts[].name}) or {@link GitSource#key()} to its move
     * @return move key to the names of the Applications it removed
     */
    static Map<String, Set<String>> bundle(ArtifactTree tree, String bundle, Map<String, Move> charts) {
        Map<String, Object> metadata = tree.readJson(".homestack/bundle.json");
        Map<String, Set<String>> moved = new TreeMap<>();
        for (Object env : KubeObject.list(metadata.get("environments"))) {
            applications(tree, String.valueOf(env), charts).forEach((k, names) ->
                    moved.computeIfAbsent(k, x -> new TreeSet<>()).addAll(names));
        }
        List<Object> entries = KubeObject.list(metadata.get("charts"));
        for (Object c : List.copyOf(entries)) {
            Map<String, Object> chart = KubeObject.map(c);
            Move move = charts.get(KubeObject.string(chart.get("name")));
            if (move != null && move.omits()) {
                entries.remove(c);
            } else if (move != null) {
                chart.put("repository", move.newRepoUrl());
            }
        }
        charts.keySet().stream().filter(k -> !moved.containsKey(k)).findFirst().ifPresent(k -> {
            throw new BundleException("bundle " + bundle + " (" + tree.original().manifestDigest() + "): no Application"
                    + " for chart '" + k + "' with source " + charts.get(k).repoUrl() + " " + charts.get(k).chart() + " "
                    + charts.get(k).revision() + " in any environment; the artifact does not match its release.json");
        });
        tree.writeJson(".homestack/bundle.json", metadata);
        Map<String, Set<String>> omitted = new TreeMap<>();
        moved.forEach((k, names) -> {
            if (charts.get(k).omits()) {
                omitted.put(k, names);
            }
        });
        return omitted;
    }

    /**
     * Points the release's Applications at the relocated bundles (repoURL and digest), and release.json at them and
     * at the mirrored charts.
     *
     * @param bundles bundle name to its move
     * @param charts  "bundle/chart key" to the chart's move
     */
    static void release(ArtifactTree tree, Map<String, Move> bundles, Map<String, Move> charts) {
        Map<String, Object> manifest = tree.readJson(".homestack/release.json");
        Set<String> moved = applications(tree, KubeObject.string(manifest.get("environment")), bundles).keySet();
        bundles.keySet().stream().filter(b -> !moved.contains(b)).findFirst().ifPresent(b -> {
            throw new BundleException("release " + tree.original().manifestDigest() + ": no Application for bundle '" + b
                    + "' at " + bundles.get(b).repoUrl() + "@" + bundles.get(b).revision());
        });
        for (Object b : KubeObject.list(manifest.get("bundles"))) {
            Map<String, Object> bundle = KubeObject.map(b);
            Move move = bundles.get(KubeObject.string(bundle.get("name")));
            bundle.put("repository", move.newRepoUrl());
            bundle.put("digest", move.newRevision());
        }
        List<Object> entries = KubeObject.list(manifest.get("charts"));
        for (Object c : List.copyOf(entries)) {
            Map<String, Object> chart = KubeObject.map(c);
            Move move = charts.get(chart.get("bundle") + "/" + chart.get("name"));
            if (move != null && move.omits()) {
                entries.remove(c);
            } else if (move != null) {
                chart.put("repository", move.newRepoUrl());
            }
        }
        tree.writeJson(".homestack/release.json", manifest);
    }

    /**
     * Rewrites or removes the matching Applications of one environment; returns the keys of the moves applied, each
     * with the names of its Applications.
     */
    private static Map<String, Set<String>> applications(ArtifactTree tree, String environment, Map<String, Move> moves) {
        Map<String, Set<String>> applied = new TreeMap<>();
        for (Path file : tree.objectFiles(environment).toList()) {
            Map<String, Object> body = ArtifactTree.readObject(file);
            if (body == null || !"Application".equals(body.get("kind"))) {
                continue;
            }
            Map<String, Object> source = KubeObject.path(body, "spec", "source");
            for (var move : moves.entrySet()) {
                if (move.getValue().matches(source)) {
                    if (move.getValue().omits()) {
                        ArtifactTree.delete(file);
                    } else {
                        source.put("repoURL", move.getValue().newRepoUrl());
                        source.put("targetRevision", move.getValue().newRevision());
                        ArtifactTree.writeObject(file, body);
                    }
                    applied.computeIfAbsent(move.getKey(), k -> new TreeSet<>())
                            .add(KubeObject.string(KubeObject.path(body, "metadata").get("name")));
                    break;
                }
            }
        }
        return applied;
    }
}
