package io.homestack.bundle.mirror;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The edits that relocate artifacts to the mirror, on unpacked trees. Only Argo CD Applications are touched, and only
 * those whose source is exactly the original (repoURL, chart, targetRevision) or (repoURL, digest): anything else in
 * the trees stays byte for byte as it was.
 */
final class Relocation {

    /** An Application source as it was and as it becomes. */
    record Move(String repoUrl, String chart, String revision, String newRepoUrl, String newRevision) {
        boolean matches(Map<String, Object> source) {
            return repoUrl.equals(source.get("repoURL")) && revision.equals(source.get("targetRevision"))
                    && (chart == null ? source.get("chart") == null : chart.equals(source.get("chart")));
        }
    }

    private Relocation() {
    }

    /**
     * Points the bundle's chart Applications at the mirror (repoURL only: the chart name and version are the same
     * there) and records the mirror as the charts' repository in bundle.json.
     *
     * @param charts chart key (bundle.yaml {@code charts[].name}) to its move
     */
    static void bundle(ArtifactTree tree, String bundle, Map<String, Move> charts) {
        Map<String, Object> metadata = tree.readJson(".homestack/bundle.json");
        Set<String> moved = new HashSet<>();
        for (Object env : KubeObject.list(metadata.get("environments"))) {
            moved.addAll(applications(tree, String.valueOf(env), charts));
        }
        for (Object c : KubeObject.list(metadata.get("charts"))) {
            Map<String, Object> chart = KubeObject.map(c);
            Move move = charts.get(KubeObject.string(chart.get("name")));
            if (move != null) {
                chart.put("repository", move.newRepoUrl());
            }
        }
        charts.keySet().stream().filter(k -> !moved.contains(k)).findFirst().ifPresent(k -> {
            throw new BundleException("bundle " + bundle + " (" + tree.original().manifestDigest() + "): no Application"
                    + " for chart '" + k + "' with source " + charts.get(k).repoUrl() + " " + charts.get(k).chart() + " "
                    + charts.get(k).revision() + " in any environment; the artifact does not match its release.json");
        });
        tree.writeJson(".homestack/bundle.json", metadata);
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
        Set<String> moved = applications(tree, KubeObject.string(manifest.get("environment")), bundles);
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
        for (Object c : KubeObject.list(manifest.get("charts"))) {
            Map<String, Object> chart = KubeObject.map(c);
            Move move = charts.get(chart.get("bundle") + "/" + chart.get("name"));
            if (move != null) {
                chart.put("repository", move.newRepoUrl());
            }
        }
        tree.writeJson(".homestack/release.json", manifest);
    }

    /** Rewrites the matching Applications of one environment; returns the keys of the moves applied. */
    private static Set<String> applications(ArtifactTree tree, String environment, Map<String, Move> moves) {
        Set<String> applied = new HashSet<>();
        for (Path file : tree.objectFiles(environment).toList()) {
            Map<String, Object> body = ArtifactTree.readObject(file);
            if (body == null || !"Application".equals(body.get("kind"))) {
                continue;
            }
            Map<String, Object> source = KubeObject.path(body, "spec", "source");
            for (var move : moves.entrySet()) {
                if (move.getValue().matches(source)) {
                    source.put("repoURL", move.getValue().newRepoUrl());
                    source.put("targetRevision", move.getValue().newRevision());
                    ArtifactTree.writeObject(file, body);
                    applied.add(move.getKey());
                    break;
                }
            }
        }
        return applied;
    }
}
