package io.homestack.bundle.mirror;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.hydrate.LocalChart;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.bundle.oci.OciArtifact;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.PushResult;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.render.ArtifactTreeWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies every upstream chart a release references into an OCI registry in Helm's format, and pushes a relocated
 * release: each bundle artifact with its chart Applications pointing at the mirror ({@code repoURL:
 * <registry>/<prefix>/charts}, the chart name and version unchanged, as Argo CD expects a Helm chart from an OCI
 * registry), and the release pinning those bundles by their new digests. Images are listed, not copied.
 *
 * <pre>{@code
 * MirrorReport report = new ChartMirror(spec, sourceClient, mirrorClient, log).run();
 * }</pre>
 *
 * The release and its bundles are read from the source registry ({@link RegistryClient#pull}); every chart is located
 * and checked first, so a missing chart fails before anything is pushed (unless {@code allowMissingCharts}).
 */
public final class ChartMirror {

    public static final String REPOSITORY_SECRET = "argocd-repository-charts.yaml";

    private final MirrorSpec spec;
    private final RegistryClient source;
    private final RegistryClient mirror;
    private final BundleLog log;

    /**
     * @param source a client on the source registry with no repository prefix (paths come from release.json)
     * @param mirror a client on {@code spec.mirror()}
     */
    public ChartMirror(MirrorSpec spec, RegistryClient source, RegistryClient mirror, BundleLog log) {
        this.spec = spec;
        this.source = source;
        this.mirror = mirror;
        this.log = log;
    }

    private record Located(ChartSpec spec, String bundle, LocalChart chart) {
    }

    public MirrorReport run() {
        Path work = spec.workDir().toAbsolutePath().normalize();
        return AtomicDirectory.replace(work, MirrorReport.FILE, "mirror output", temp -> run(temp));
    }

    private MirrorReport run(Path temp) throws IOException {
        OciLayout releaseLayout = source.pull(spec.release(), spec.reference(), temp.resolve("pulled/release"));
        ArtifactTree release = ArtifactTree.unpack(releaseLayout, temp.resolve("trees/release"));
        Map<String, Object> manifest = release.readJson(".homestack/release.json");

        List<MirrorReport.MissingChart> missing = new ArrayList<>();
        List<Located> located = locate(manifest, missing);
        Charts charts = pushCharts(located, temp, release);
        Bundles bundles = relocateBundles(manifest, charts, temp);

        Relocation.release(release, bundles.moves(), charts.releaseMoves());
        String releaseName = spec.release().substring(spec.release().lastIndexOf('/') + 1);
        OciArtifact relocated = release.pack(temp.resolve("release"));
        PushResult result = mirror.push(OciLayout.read(relocated.layoutDir()), releaseName);
        log.info("mirror: " + charts.report().size() + " chart(s), " + bundles.report().size() + " bundle(s) and the"
                + " release relocated to " + result.pinnedReference());

        MirrorReport report = new MirrorReport(
                new MirrorReport.Artifact(releaseName, spec.release() + "@" + releaseLayout.manifestDigest(),
                        result.pinnedReference(), result.digest()),
                bundles.report(), charts.report(), missing, spec.chartRepoUrl(),
                KubeObject.list(manifest.get("images")).stream().map(String::valueOf).toList());
        Files.writeString(temp.resolve(MirrorReport.FILE), ArtifactTreeWriter.JSON.writeValueAsString(report) + "\n");
        Files.writeString(temp.resolve(REPOSITORY_SECRET), Yaml.write(repositorySecret()));
        // The layouts written stay; the pulled originals and unpacked trees are scratch.
        for (String scratch : List.of("pulled", "trees", "package")) {
            AtomicDirectory.deleteQuietly(temp.resolve(scratch));
        }
        return report;
    }

    /** Every chart of the release in the chart directories, checked; fails on missing ones unless allowed. */
    private List<Located> locate(Map<String, Object> manifest, List<MirrorReport.MissingChart> missing) {
        List<Located> located = new ArrayList<>();
        for (Object c : KubeObject.list(manifest.get("charts"))) {
            Map<String, Object> chart = KubeObject.map(c);
            String bundle = KubeObject.string(chart.get("bundle"));
            ChartSpec pin = new ChartSpec(KubeObject.string(chart.get("name")), KubeObject.string(chart.get("repository")),
                    KubeObject.string(chart.get("chart")), KubeObject.string(chart.get("version")), null, null, null, null);
            LocalChart found = LocalChart.find(spec.chartDirectories(), bundle, pin);
            if (found == null) {
                missing.add(new MirrorReport.MissingChart(bundle, pin.name(), pin.chartName(), pin.version(),
                        pin.repository(), "not in the chart directories " + spec.chartDirectories()
                        + " (expected " + pin.chartName() + "/ or " + pin.chartName() + "-" + pin.version() + ".tgz)"));
            } else {
                located.add(new Located(pin, bundle, found));
            }
        }
        if (!missing.isEmpty()) {
            String names = String.join(", ", missing.stream().map(m -> m.bundle() + "/" + m.name() + " " + m.version()).toList());
            if (!spec.allowMissingCharts()) {
                throw new BundleException("mirror: " + missing.size() + " chart(s) of " + spec.release() + " are in none"
                        + " of the chart directories " + spec.chartDirectories() + ": " + names + ". Charts are not"
                        + " vendored; put them there (helm pull <chart> --repo <repository> --version <version> -d <dir>)"
                        + " or relocate without them (homestack.mirror.allowMissingCharts: their Applications keep the"
                        + " upstream repository)");
            }
            log.warn("mirror: NOT mirrored, their Applications keep the upstream repository: " + names);
        }
        return located;
    }

    /**
     * @param bundleMoves  bundle name to (chart key to move)
     * @param releaseMoves "bundle/chart key" to move
     */
    private record Charts(List<MirrorReport.Chart> report, Map<String, Map<String, Relocation.Move>> bundleMoves,
                          Map<String, Relocation.Move> releaseMoves) {
    }

    /** Pushes each chart once per chart and version, even when several bundles pin it. */
    private Charts pushCharts(List<Located> located, Path temp, ArtifactTree release) {
        Charts charts = new Charts(new ArrayList<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        Map<String, PushResult> pushed = new LinkedHashMap<>();
        for (Located l : located) {
            String key = l.spec().chartName() + "-" + l.chart().version();
            PushResult result = pushed.get(key);
            if (result == null) {
                byte[] archive = l.chart().archive(temp.resolve("package"), release.mtime());
                OciLayout layout = HelmChartArtifact.write(l.chart(), archive, temp.resolve("charts").resolve(key));
                result = mirror.push(layout, "charts/" + l.spec().chartName());
                pushed.put(key, result);
            }
            charts.report().add(new MirrorReport.Chart(l.bundle(), l.spec().name(), l.spec().chartName(),
                    l.spec().version(), l.chart().path().toString(), result.reference(), result.digest()));
            Relocation.Move move = new Relocation.Move(l.spec().repository(), l.spec().chartName(), l.spec().version(),
                    spec.chartRepoUrl(), l.spec().version());
            charts.bundleMoves().computeIfAbsent(l.bundle(), b -> new LinkedHashMap<>()).put(l.spec().name(), move);
            charts.releaseMoves().put(l.bundle() + "/" + l.spec().name(), move);
        }
        return charts;
    }

    private record Bundles(List<MirrorReport.Artifact> report, Map<String, Relocation.Move> moves) {
    }

    /** Each bundle pulled by digest, its chart Applications relocated, pushed to the mirror. */
    private Bundles relocateBundles(Map<String, Object> manifest, Charts charts, Path temp) {
        Bundles bundles = new Bundles(new ArrayList<>(), new LinkedHashMap<>());
        for (Object b : KubeObject.list(manifest.get("bundles"))) {
            Map<String, Object> entry = KubeObject.map(b);
            String name = KubeObject.string(entry.get("name"));
            String repoUrl = KubeObject.string(entry.get("repository"));
            String digest = KubeObject.string(entry.get("digest"));
            String path = repositoryPath(repoUrl, name);
            OciLayout original = source.pull(path, digest, temp.resolve("pulled/bundles").resolve(name));
            ArtifactTree tree = ArtifactTree.unpack(original, temp.resolve("trees/bundles").resolve(name));
            Relocation.bundle(tree, name, charts.bundleMoves().getOrDefault(name, Map.of()));
            OciArtifact relocated = tree.pack(temp.resolve("bundles").resolve(name));
            PushResult result = mirror.push(OciLayout.read(relocated.layoutDir()), name);
            bundles.report().add(new MirrorReport.Artifact(name, path + "@" + digest, result.pinnedReference(),
                    result.digest()));
            bundles.moves().put(name, new Relocation.Move(repoUrl, null, digest, spec.artifactRepoUrl(name),
                    result.digest()));
        }
        return bundles;
    }

    /**
     * Argo CD's repository for the mirrored charts: type helm with {@code enableOCI}, and plain HTTP
     * ({@code insecureOCIForceHttp}, Argo CD 3.5+ with Helm 4) when the mirror is spoken to over HTTP. No credentials:
     * a registry that needs them gets a credentials Secret of its own, sealed.
     */
    private Map<String, Object> repositorySecret() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "helm");
        data.put("name", "homestack-charts");
        data.put("url", spec.chartRepoUrl());
        data.put("enableOCI", "true");
        if (spec.mirror().plainHttp()) {
            data.put("insecureOCIForceHttp", "true");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "homestack-charts");
        metadata.put("namespace", "argocd");
        metadata.put("labels", Map.of("argocd.argoproj.io/secret-type", "repository"));
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("metadata", metadata);
        secret.put("stringData", data);
        return secret;
    }

    /** oci://host/path/name -> path/name: bundles are read from the source registry at the same path. */
    private static String repositoryPath(String repoUrl, String bundle) {
        if (repoUrl == null || !repoUrl.startsWith("oci://") || repoUrl.indexOf('/', "oci://".length()) < 0) {
            throw new BundleException("mirror: release.json gives bundle '" + bundle + "' the repository '" + repoUrl
                    + "'; expected oci://<registry>/<path>");
        }
        return repoUrl.substring(repoUrl.indexOf('/', "oci://".length()) + 1);
    }
}
