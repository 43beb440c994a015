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
import io.homestack.bundle.release.ReleaseManifest;
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
 * and checked first, so a missing chart fails before anything is pushed (unless the {@link MissingPolicy} says keep
 * or omit). Applications whose source is a Git repository are relocated too: their tree, from a sources directory
 * ({@link GitSource}), is pushed as an OCI artifact ({@link SourceArtifact}) and the Application pins it by digest.
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

    /** A bundle of the release, pulled by digest and unpacked. */
    private record Pulled(String name, String repoUrl, String path, String digest, ArtifactTree tree) {
    }

    /** A Git source used by an Application of a bundle; dir null when it is in none of the sources directories. */
    private record UsedSource(String bundle, String application, GitSource source, Path dir) {
    }

    public MirrorReport run() {
        Path work = spec.workDir().toAbsolutePath().normalize();
        return AtomicDirectory.replace(work, MirrorReport.FILE, "mirror output", temp -> run(temp));
    }

    private MirrorReport run(Path temp) throws IOException {
        OciLayout releaseLayout = source.pull(spec.release(), spec.reference(), temp.resolve("pulled/release"));
        ArtifactTree release = ArtifactTree.unpack(releaseLayout, temp.resolve("trees/release"));
        Map<String, Object> manifest = release.readJson(".homestack/release.json");

        // Everything is located before anything is pushed: policy fail stops here with every missing one named.
        List<MirrorReport.MissingChart> missingCharts = new ArrayList<>();
        List<Located> located = locate(manifest, missingCharts);
        List<Pulled> pulled = pullBundles(manifest, temp);
        List<UsedSource> used = sources(pulled, KubeObject.string(manifest.get("environment")));
        List<MirrorReport.MissingSource> missingSources = used.stream().filter(u -> u.dir() == null)
                .map(u -> new MirrorReport.MissingSource(u.bundle(), u.application(), u.source().repoUrl(),
                        u.source().pinnedRevision(), "not in the sources directories " + spec.sourceDirectories()
                        + " (expected <dir>/" + u.source().relativeDirectory() + "/)")).toList();
        checkMissing(missingCharts, missingSources);

        Moves moves = new Moves(new LinkedHashMap<>(), new LinkedHashMap<>());
        List<MirrorReport.Chart> charts = pushCharts(located, temp, release, moves);
        List<MirrorReport.Source> sources = pushSources(used, temp, moves);
        if (spec.missing() == MissingPolicy.OMIT) {
            for (MirrorReport.MissingChart m : missingCharts) {
                Relocation.Move omit = Relocation.Move.omit(m.repository(), m.chart(), m.version());
                moves.bundle(m.bundle()).put(m.name(), omit);
                moves.release().put(m.bundle() + "/" + m.name(), omit);
            }
            for (UsedSource u : used) {
                if (u.dir() == null) {
                    moves.bundle(u.bundle()).put(u.source().key(),
                            Relocation.Move.omit(u.source().repoUrl(), null, u.source().revision()));
                }
            }
        }
        List<MirrorReport.Omitted> omitted = new ArrayList<>();
        Bundles bundles = relocateBundles(pulled, moves, temp, omitted);

        Relocation.release(release, bundles.moves(), moves.release());
        String releaseName = spec.release().substring(spec.release().lastIndexOf('/') + 1);
        OciArtifact relocated = release.pack(temp.resolve("release"));
        PushResult result = mirror.push(OciLayout.read(relocated.layoutDir()), releaseName);
        log.info("mirror: " + charts.size() + " chart(s), " + sources.size() + " Git source(s), "
                + bundles.report().size() + " bundle(s) and the release relocated to " + result.pinnedReference());
        if (!omitted.isEmpty()) {
            log.warn("mirror: OMITTED from the relocated release (" + omitted.size() + " Application(s)): "
                    + String.join(", ", omitted.stream().map(o -> o.bundle() + "/" + o.application() + " ("
                    + o.source() + ")").toList()));
        }

        MirrorReport report = new MirrorReport(
                new MirrorReport.Artifact(releaseName, spec.release() + "@" + releaseLayout.manifestDigest(),
                        result.pinnedReference(), result.digest()),
                bundles.report(), charts, missingCharts, sources, missingSources, spec.missing().id(), omitted,
                spec.chartRepoUrl(), KubeObject.list(manifest.get("images")).stream().map(String::valueOf).toList());
        Files.writeString(temp.resolve(MirrorReport.FILE), ArtifactTreeWriter.JSON.writeValueAsString(report) + "\n");
        Files.writeString(temp.resolve(REPOSITORY_SECRET), Yaml.write(repositorySecret()));
        // The layouts written stay; the pulled originals and unpacked trees are scratch.
        for (String scratch : List.of("pulled", "trees", "package", "copies")) {
            AtomicDirectory.deleteQuietly(temp.resolve(scratch));
        }
        return report;
    }

    /** Every chart of the release in the chart directories, checked; the missing ones are collected. */
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
        return located;
    }

    /** Policy fail: every missing chart and source named, nothing pushed. Otherwise each is named in the log. */
    private void checkMissing(List<MirrorReport.MissingChart> charts, List<MirrorReport.MissingSource> sources) {
        List<String> names = new ArrayList<>();
        charts.forEach(m -> names.add("chart " + m.bundle() + "/" + m.name() + " " + m.version()));
        sources.forEach(m -> names.add("Git source " + m.bundle() + "/" + m.application() + " " + m.repository()
                + "@" + m.revision()));
        if (names.isEmpty()) {
            return;
        }
        if (spec.missing() == MissingPolicy.FAIL) {
            throw new BundleException("mirror: " + names.size() + " chart(s) or Git source(s) of " + spec.release()
                    + " are in none of the chart directories " + spec.chartDirectories() + " or sources directories "
                    + spec.sourceDirectories() + ": " + String.join(", ", names) + ". Nothing upstream is vendored; put"
                    + " charts there (helm pull <chart> --repo <repository> --version <version> -d <dir>) and Git"
                    + " sources (git clone --depth 1 --branch <revision> <repo> <dir>/<host>/<path>@<revision>), or"
                    + " relocate without them (homestack.mirror.missing=keep: their Applications keep the upstream"
                    + " source; omit: their Applications are removed from the relocated release)");
        }
        log.warn("mirror: NOT mirrored (missing policy " + spec.missing().id() + ": " + (spec.missing() == MissingPolicy.KEEP
                ? "their Applications keep the upstream source" : "their Applications are omitted") + "): "
                + String.join(", ", names));
    }

    /**
     * The moves of the relocation.
     *
     * @param bundles bundle name to (chart key or Git source key to move)
     * @param release "bundle/chart key" to move
     */
    private record Moves(Map<String, Map<String, Relocation.Move>> bundles, Map<String, Relocation.Move> release) {
        Map<String, Relocation.Move> bundle(String name) {
            return bundles.computeIfAbsent(name, b -> new LinkedHashMap<>());
        }
    }

    /** Pushes each chart once per chart and version, even when several bundles pin it. */
    private List<MirrorReport.Chart> pushCharts(List<Located> located, Path temp, ArtifactTree release, Moves moves) {
        List<MirrorReport.Chart> charts = new ArrayList<>();
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
            charts.add(new MirrorReport.Chart(l.bundle(), l.spec().name(), l.spec().chartName(),
                    l.spec().version(), l.chart().path().toString(), result.reference(), result.digest()));
            Relocation.Move move = new Relocation.Move(l.spec().repository(), l.spec().chartName(), l.spec().version(),
                    spec.chartRepoUrl(), l.spec().version());
            moves.bundle(l.bundle()).put(l.spec().name(), move);
            moves.release().put(l.bundle() + "/" + l.spec().name(), move);
        }
        return charts;
    }

    /** Each bundle of release.json, pulled by digest and unpacked. */
    private List<Pulled> pullBundles(Map<String, Object> manifest, Path temp) {
        List<Pulled> pulled = new ArrayList<>();
        for (Object b : KubeObject.list(manifest.get("bundles"))) {
            Map<String, Object> entry = KubeObject.map(b);
            String name = KubeObject.string(entry.get("name"));
            String repoUrl = KubeObject.string(entry.get("repository"));
            String digest = KubeObject.string(entry.get("digest"));
            String path = ReleaseManifest.repositoryPath(repoUrl, name);
            OciLayout original = source.pull(path, digest, temp.resolve("pulled/bundles").resolve(name));
            pulled.add(new Pulled(name, repoUrl, path, digest,
                    ArtifactTree.unpack(original, temp.resolve("trees/bundles").resolve(name))));
        }
        return pulled;
    }

    /** The Git sources of the bundles' Applications in the release's environment, each looked up. */
    private List<UsedSource> sources(List<Pulled> bundles, String environment) {
        List<UsedSource> used = new ArrayList<>();
        for (Pulled b : bundles) {
            for (Path file : b.tree().objectFiles(environment).toList()) {
                Map<String, Object> body = ArtifactTree.readObject(file);
                if (body == null || !"Application".equals(body.get("kind"))) {
                    continue;
                }
                String app = KubeObject.string(KubeObject.path(body, "metadata").get("name"));
                GitSource git = GitSource.of(KubeObject.path(body, "spec", "source"),
                        "bundle " + b.name() + ", Application " + app);
                if (git != null) {
                    used.add(new UsedSource(b.name(), app, git, git.find(spec.sourceDirectories())));
                }
            }
        }
        return used;
    }

    /** Packs and pushes each Git source found once per repository and revision; refuses two that share a name. */
    private List<MirrorReport.Source> pushSources(List<UsedSource> used, Path temp, Moves moves) {
        List<MirrorReport.Source> report = new ArrayList<>();
        Map<String, PushResult> pushed = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        for (UsedSource u : used) {
            if (u.dir() == null) {
                continue;
            }
            GitSource git = u.source();
            String where = "bundle " + u.bundle() + ", Application " + u.application();
            String owner = owners.putIfAbsent(git.name(), git.repoUrl());
            if (owner != null && !owner.equals(git.repoUrl())) {
                throw new BundleException("mirror: " + where + ": the Git sources " + owner + " and " + git.repoUrl()
                        + " would both be mirrored as " + MirrorSpec.SOURCES + "/" + git.name());
            }
            PushResult result = pushed.get(git.key());
            if (result == null) {
                OciArtifact artifact;
                try {
                    artifact = SourceArtifact.write(git, u.dir(), temp.resolve("copies").resolve(pushed.size() + ""),
                            temp.resolve("sources").resolve(git.name() + "@" + git.pinnedRevision()));
                } catch (BundleException e) {
                    throw new BundleException("mirror: " + where + ", Git source " + git.repoUrl() + "@"
                            + git.pinnedRevision() + " (" + u.dir() + "): " + e.getMessage(), e);
                }
                result = mirror.push(OciLayout.read(artifact.layoutDir()), MirrorSpec.SOURCES + "/" + git.name());
                pushed.put(git.key(), result);
            }
            report.add(new MirrorReport.Source(u.bundle(), u.application(), git.repoUrl(), git.pinnedRevision(),
                    u.dir().toString(), result.reference(), result.digest()));
            moves.bundle(u.bundle()).put(git.key(), new Relocation.Move(git.repoUrl(), null, git.revision(),
                    spec.sourceRepoUrl(git.name()), result.digest()));
        }
        return report;
    }

    private record Bundles(List<MirrorReport.Artifact> report, Map<String, Relocation.Move> moves) {
    }

    /** Each bundle's Applications relocated or omitted, the bundle packed and pushed to the mirror. */
    private Bundles relocateBundles(List<Pulled> pulled, Moves moves, Path temp, List<MirrorReport.Omitted> omitted) {
        Bundles bundles = new Bundles(new ArrayList<>(), new LinkedHashMap<>());
        for (Pulled b : pulled) {
            Map<String, Relocation.Move> bundleMoves = moves.bundles().getOrDefault(b.name(), Map.of());
            Relocation.bundle(b.tree(), b.name(), bundleMoves).forEach((key, apps) -> {
                Relocation.Move m = bundleMoves.get(key);
                String what = m.chart() == null ? "Git source " + m.repoUrl() + "@" + m.revision()
                        : "chart " + m.chart() + " " + m.revision() + " from " + m.repoUrl();
                apps.forEach(app -> omitted.add(new MirrorReport.Omitted(b.name(), app,
                        m.chart() == null ? null : key, what)));
            });
            OciArtifact relocated = b.tree().pack(temp.resolve("bundles").resolve(b.name()));
            PushResult result = mirror.push(OciLayout.read(relocated.layoutDir()), b.name());
            bundles.report().add(new MirrorReport.Artifact(b.name(), b.path() + "@" + b.digest(),
                    result.pinnedReference(), result.digest()));
            bundles.moves().put(b.name(), new Relocation.Move(b.repoUrl(), null, b.digest(),
                    spec.artifactRepoUrl(b.name()), result.digest()));
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
}
