package io.homestack.bundle.hydrate;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.k8s.Scopes;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.render.ChartApplications;
import io.homestack.bundle.render.RenderedBundle;
import io.homestack.bundle.validate.Validator;
import io.homestack.bundle.validate.Violation;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Renders a bundle's upstream charts with Helm, in-process (helm-java), once per environment: the merged values Argo
 * CD gets, the chart's namespace and release name, and Kubernetes {@link #KUBE_VERSION}. Optional and never part of
 * {@code mvn install}; see docs/hydrate.md.
 *
 * <pre>{@code
 * Hydrator hydrator = new Hydrator(ChartSource.directory(chartsDir), log);
 * HydratedBundle hydrated = hydrator.hydrate(Bundle.load(dir), workDir);
 * hydrator.write(hydrated, target.resolve("hydrated"));        // target/hydrated/<env>/<chart>/<kind>-<name>.yaml
 * List<Violation> report = hydrator.policyReport(hydrated, rendered);   // report, never fail
 * }</pre>
 */
public final class Hydrator {

    /**
     * What {@code .Capabilities.KubeVersion} says: the clusters' minor version (k3d and k3s run 1.35). Without it,
     * Helm rendering without a cluster assumes v1.20.0 and charts with a {@code kubeVersion} constraint fail or
     * choose old APIs.
     */
    public static final String KUBE_VERSION = "v1.35.0";

    private final ChartSource source;
    private final String kubeVersion;
    private final BundleLog log;
    private final ChartApplications applications = new ChartApplications();
    private HelmJava helm;

    public Hydrator(ChartSource source, BundleLog log) {
        this(source, KUBE_VERSION, log);
    }

    public Hydrator(ChartSource source, String kubeVersion, BundleLog log) {
        this.source = source;
        this.kubeVersion = kubeVersion;
        this.log = log;
    }

    /** A chart found and verified once, rendered for each environment. */
    private record Located(String reference, String version, Path repositoryConfig, boolean plainHttp, ChartFiles files,
                           String location) {
    }

    /**
     * Renders every chart of every environment of the bundle. Loads the native Helm library on the first chart
     * (not at all for a bundle without charts).
     *
     * @param workDir scratch space for the values files Helm reads (e.g. target/homestack/hydrate)
     */
    public HydratedBundle hydrate(Bundle bundle, Path workDir) {
        Map<String, Located> located = new LinkedHashMap<>();
        Map<String, List<HydratedChart>> environments = new LinkedHashMap<>();
        for (String env : bundle.descriptor().environments()) {
            List<HydratedChart> charts = new ArrayList<>();
            for (ChartSpec chart : bundle.descriptor().chartsFor(env)) {
                Located at = located.computeIfAbsent(chart.name(), n -> locate(bundle, chart, workDir));
                charts.add(render(bundle, chart, env, at, workDir));
            }
            environments.put(env, List.copyOf(charts));
        }
        return new HydratedBundle(bundle, kubeVersion, environments);
    }

    /**
     * Writes {@code <target>/<env>/<chart>/<kind>-<name>.yaml}, one object per file, replacing {@code target} as a
     * whole (built beside it, then renamed), so a reader sees the old tree or the new one.
     */
    public void write(HydratedBundle hydrated, Path target) {
        HydratedTree.write(hydrated, target);
    }

    /**
     * The policy violations of chart-rendered objects: reported, never enforced (the objects are upstream's). Checked
     * together with the bundle's own rendered objects when given, so e.g. a VirtualService of the bundle counts for
     * a chart's Service, and a chart object that duplicates one of ours is reported.
     *
     * @param own the bundle's own render (may be null); its own violations are not repeated here
     */
    public List<Violation> policyReport(HydratedBundle hydrated, RenderedBundle own) {
        Map<String, List<KubeObject>> environments = new LinkedHashMap<>();
        Set<String> chartSources = new HashSet<>();
        for (String env : hydrated.environments().keySet()) {
            List<KubeObject> objects = new ArrayList<>(own == null ? List.of() : own.objects(env));
            hydrated.objects(env).forEach(o -> {
                objects.add(o);
                chartSources.add(o.source());
            });
            environments.put(env, objects);
        }
        return new Validator().violations(new RenderedBundle(hydrated.bundle(), environments)).stream()
                .filter(v -> chartSources.contains(v.file())).toList();
    }

    private Located locate(Bundle bundle, ChartSpec chart, Path workDir) {
        Path local = source.local(bundle, chart);
        if (local != null) {
            // Helm renders an unpacked copy in which hooks stay in the manifest (HelmHooks); bounded (ChartCopy).
            Path copy = workDir.toAbsolutePath().resolve("charts").resolve(chart.name());
            AtomicDirectory.deleteQuietly(copy);
            ChartFiles files = ChartFiles.read(local, copy, where(bundle, chart));
            verify(bundle, chart, files.name(), files.version(), local + (Files.isDirectory(local) ? "/Chart.yaml" : ""));
            return new Located(files.dir().toString(), null, null, false, files, local.toString());
        }
        // From the chart's repository. Untested in homestack's CI (no repository is reachable there).
        String repository = chart.repository();
        if (repository.startsWith("https://") || repository.startsWith("http://")) {
            Path config = workDir.resolve("repositories.yaml");
            String alias = "homestack-" + chart.name();
            helm(bundle, chart, "helm repo add " + repository, h -> {
                h.addRepository(config, alias, URI.create(repository));
                return null;
            });
            // Helm resolves exactly the pinned version (bundle.yaml allows exact versions only) or fails.
            return new Located(alias + "/" + chart.chartName(), chart.version(), config, false, null, repository);
        }
        String reference = ociReference(chart);
        boolean plainHttp = loopback(reference);
        String chartYaml = helm(bundle, chart, "helm show chart " + reference,
                h -> h.showChart(reference, chart.version(), plainHttp));
        Map<String, Object> meta = Yaml.readMap(chartYaml, reference + " Chart.yaml");
        verify(bundle, chart, KubeObject.string(meta.get("name")), KubeObject.string(meta.get("version")), reference);
        return new Located(reference, chart.version(), null, plainHttp, null, reference);
    }

    /** Registries on this machine (k3d's, a test's) speak plain HTTP, as for homestack:push. */
    private static boolean loopback(String ociReference) {
        String host = URI.create(ociReference).getHost();
        return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
    }

    /** An OCI chart reference: Argo CD writes OCI Helm repositories without the scheme. */
    static String ociReference(ChartSpec chart) {
        String repository = chart.repository().replaceAll("/+$", "");
        return (repository.startsWith("oci://") ? repository : "oci://" + repository) + "/" + chart.chartName();
    }

    private static void verify(Bundle bundle, ChartSpec chart, String name, String version, String where) {
        verify(bundle.name(), chart, name, version, where);
    }

    /** The chart found must be the one pinned: its name, and its version up to a leading "v". */
    static void verify(String owner, ChartSpec chart, String name, String version, String where) {
        if (!chart.chartName().equals(name)) {
            throw new BundleException(where(owner, chart) + ": " + where + " names the chart '" + name + "', but"
                    + " bundle.yaml expects '" + chart.chartName() + "' (charts[].chart, default the entry's name)");
        }
        if (version == null || !strip(version).equals(strip(chart.version()))) {
            throw new BundleException(where(owner, chart) + ": bundle.yaml pins version " + chart.version() + " but "
                    + where + " has version " + version + "; hydrate the pinned version (helm pull ... --version "
                    + chart.version() + ") or change the pin");
        }
    }

    private static String strip(String version) {
        return version.startsWith("v") ? version.substring(1) : version;
    }

    private HydratedChart render(Bundle bundle, ChartSpec chart, String env, Located at, Path workDir) {
        Path valuesFile = writeValues(bundle, chart, env, workDir, at.files() != null);
        helm(); // loads Helm on the first chart, so the time below is the chart's own
        long start = System.nanoTime();
        String output = helm(bundle, chart, env, "helm template", at,
                h -> h.template(at.reference(), at.version(), chart.helmReleaseName(), chart.namespace(), kubeVersion,
                        valuesFile, at.repositoryConfig(), at.plainHttp()));
        String prefix = "chart " + chart.name() + " " + chart.version() + ": ";
        List<KubeObject> objects = new ArrayList<>();
        if (at.files() != null) {
            // Argo CD applies crds/ too; helm-java's template cannot include them, so they are read from the chart.
            at.files().crds().forEach(crd -> Yaml.readAll(crd.getValue(), prefix + crd.getKey())
                    .forEach(body -> objects.add(new KubeObject(body, prefix + crd.getKey()))));
        } else {
            log.warn(where(bundle, chart) + ": CRDs and Helm hooks of a chart from a repository are not included"
                    + " (both are read from local charts only; see docs/hydrate.md)");
        }
        for (KubeObject o : HelmOutput.objects(HelmHooks.restore(output), prefix)) {
            String hook = HelmHooks.phases(o);
            objects.add(hook == null ? o : new KubeObject(o.body(), o.source() + " (Helm hook " + hook + ")"));
        }
        defaultNamespaces(objects, chart.namespace());
        checkImages(bundle, chart, env, objects);
        log.debug(where(bundle, chart) + " (" + env + "): " + objects.size() + " objects in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        return new HydratedChart(env, chart, at.location(), objects);
    }

    /**
     * The values Argo CD gets (valuesObject of the chart's Application), as JSON: exact, and valid YAML for Helm.
     * For a local chart, Helm reads them with the hook key hidden like the chart copy ({@code <chart>-values-helm.json}).
     */
    private Path writeValues(Bundle bundle, ChartSpec chart, String env, Path workDir, boolean hideHooks) {
        Map<String, Object> values = applications.values(bundle, chart, env);
        Path file = workDir.toAbsolutePath().resolve(env).resolve(chart.name() + "-values.json");
        Path forHelm = file.resolveSibling(chart.name() + "-values-helm.json");
        try {
            Files.createDirectories(file.getParent());
            String json = ArtifactTreeWriter.JSON.writeValueAsString(values) + "\n";
            Files.writeString(file, json);
            if (!hideHooks) {
                return file;
            }
            Files.writeString(forHelm, HelmHooks.hide(json));
            return forHelm;
        } catch (IOException e) {
            throw new BundleException(where(bundle, chart) + ": cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * bundle.yaml's {@code images} of a chart feed the release manifest, so they must name every image the chart
     * runs: each image of a rendered pod spec (hooks included) must be listed. Listing more is allowed (an image a
     * controller starts itself, such as cert-manager's ACME solver, is in no pod spec).
     */
    private static void checkImages(Bundle bundle, ChartSpec chart, String env, List<KubeObject> objects) {
        Set<String> missing = new TreeSet<>(PodSpecs.images(objects).stream().filter(i -> i != null).toList());
        missing.removeAll(chart.images());
        if (!missing.isEmpty()) {
            throw new BundleException(where(bundle, chart) + " (" + env + "): bundle.yaml charts[" + chart.name()
                    + "].images does not list " + missing.size() + " image(s) the rendered chart runs: "
                    + String.join(", ", missing) + "; add them (the release manifest lists exactly these images)");
        }
    }

    /**
     * Argo CD applies a namespaced object without a namespace into the Application's destination namespace; so do
     * we, so that the objects are what the cluster gets and the structure rule holds. Kinds of the chart's own
     * cluster-scoped CRDs count as cluster-scoped.
     */
    private static void defaultNamespaces(List<KubeObject> objects, String namespace) {
        Set<String> clusterKinds = new HashSet<>();
        for (KubeObject o : objects) {
            if ("CustomResourceDefinition".equals(o.kind())
                    && "Cluster".equals(KubeObject.string(KubeObject.path(o.body(), "spec").get("scope")))) {
                clusterKinds.add(KubeObject.string(KubeObject.path(o.body(), "spec", "names").get("kind")));
            }
        }
        for (KubeObject o : objects) {
            if (o.kind() != null && o.namespace() == null && !Scopes.isClusterScoped(o.kind())
                    && !clusterKinds.contains(o.kind())) {
                if (!(o.body().get("metadata") instanceof Map<?, ?>)) {
                    o.body().put("metadata", new LinkedHashMap<String, Object>());
                }
                o.metadata().put("namespace", namespace);
            }
        }
    }

    private <T> T helm(Bundle bundle, ChartSpec chart, String what, Function<HelmJava, T> call) {
        return helm(bundle, chart, null, what, null, call);
    }

    private <T> T helm(Bundle bundle, ChartSpec chart, String env, String what, Located at, Function<HelmJava, T> call) {
        HelmJava h = helm();
        try {
            return call.apply(h);
        } catch (HelmJava.HelmFailure e) {
            throw new BundleException(where(bundle, chart) + (env == null ? "" : " (" + env + ")") + ": " + what
                    + " failed: " + e.getMessage() + (at == null ? "" : "\n  chart: " + at.location() + "\n  values: "
                    + valuesFiles(chart, env) + "\n  namespace: " + chart.namespace() + ", release: "
                    + chart.helmReleaseName() + ", Kubernetes " + kubeVersion), e);
        }
    }

    private static String valuesFiles(ChartSpec chart, String env) {
        return "values/" + chart.name() + ".yaml merged with values/" + chart.name() + "-" + env + ".yaml (if present)";
    }

    /** helm-java is optional in bundle-core: only this path needs it, and its first use loads the native library. */
    private HelmJava helm() {
        if (helm == null) {
            long start = System.nanoTime();
            try {
                helm = HelmJava.load();
            } catch (NoClassDefFoundError e) {
                throw new BundleException("hydrate needs helm-java (com.marcnuri.helm-java:helm-java) on the class"
                        + " path; it is an optional dependency of bundle-core (the homestack Maven plugin has it): " + e.getMessage(), e);
            }
            String version = helm.version();
            log.info("hydrate: Helm " + version + " (helm-java) loaded in " + (System.nanoTime() - start) / 1_000_000
                    + " ms; rendering for Kubernetes " + kubeVersion + " from " + source.describe());
        }
        return helm;
    }

    private static String where(Bundle bundle, ChartSpec chart) {
        return where(bundle.name(), chart);
    }

    private static String where(String owner, ChartSpec chart) {
        return "[" + owner + "] chart '" + chart.name() + "' " + chart.version();
    }
}
