package io.homestack.clusters.k3d;

import io.homestack.bundle.BundleLog;
import io.homestack.bundle.hydrate.ChartSource;
import io.homestack.bundle.hydrate.Hydrator;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.bundle.release.ReleaseManifest;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.RepositoryBundles;
import io.homestack.bundle.test.release.ReleaseHarness;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3d release's total resource requests stay within what a laptop or CI runner gives the cluster: 8 GiB and 4 CPU
 * (docs/decisions.md, "k3d resource budget"). Summed from the renders: every bundle's own objects, the chart objects of
 * bundles whose pinned charts are in charts.sh's cache (rendered in-process with our values), and the Istio sidecar
 * istiod injects into each pod of a meshed namespace (its requests from platform/istio's rendered values). A DaemonSet
 * counts once per node of clusters/k3d/cluster.yaml; Jobs (hooks, one-off) are not steady state and are left out.
 *
 * <p>What is not rendered here (charts that cannot be had, Applications with a Git source) is not guessed: the test
 * then prints the partial sum, fails only if that lower bound already exceeds the budget, and is otherwise skipped as
 * NOT VERIFIED, naming what is missing.
 */
class ReleaseResourcesTest {

    static final long BUDGET_CPU_MILLIS = 4000;
    static final long BUDGET_MEMORY_BYTES = 8L * 1024 * 1024 * 1024;
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet");
    private static final Path ROOT = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath()
            .normalize().resolve("../..").normalize();

    private final Map<String, PodRequests> counted = new LinkedHashMap<>();
    private final List<String> notRendered = new ArrayList<>();

    @Test
    void theReleasesRequestsFitInEightGibAndFourCpu(@TempDir Path work) throws IOException {
        ReleaseManifest manifest = ArtifactTreeWriter.JSON.readValue(
                BundleOutput.ofModule().root().resolve(ReleaseManifest.PATH).toFile(), ReleaseManifest.class);
        Map<String, Path> modules = new LinkedHashMap<>();
        for (Path dir : RepositoryBundles.all(ROOT)) {
            modules.put(dir.getFileName().toString(), dir);
        }
        Map<String, List<KubeObject>> own = new LinkedHashMap<>();
        for (ReleaseManifest.Bundle bundle : manifest.bundles()) {
            Path module = modules.get(bundle.name());
            assertThat(module).as("module of bundle %s", bundle.name()).isNotNull();
            own.put(bundle.name(), BundleOutput.of(module.resolve("target/bundle")).objects("k3d"));
        }
        int nodes = nodes();
        PodRequests proxy = sidecarRequests(own.get("istio"));
        Set<String> meshed = meshedNamespaces(own.values().stream().flatMap(List::stream).toList());

        for (ReleaseManifest.Bundle bundle : manifest.bundles()) {
            List<KubeObject> objects = own.get(bundle.name());
            count(bundle.name(), objects, nodes, meshed, proxy);
            List<KubeObject> applications = objects.stream().filter(o -> "Application".equals(o.kind())).toList();
            if (applications.isEmpty()) {
                continue;
            }
            Bundle loaded = Bundle.load(modules.get(bundle.name()));
            Path charts = cachedCharts(loaded, work.resolve("charts").resolve(bundle.name()));
            if (charts != null) {
                count(bundle.name() + " (charts, rendered)", new Hydrator(ChartSource.directory(charts), BundleLog.SILENT)
                        .hydrate(loaded, work.resolve("hydrate").resolve(bundle.name())).objects("k3d"), nodes, meshed, proxy);
            }
            for (KubeObject app : applications) {
                Map<String, Object> source = KubeObject.path(app.body(), "spec", "source");
                if (charts == null || !source.containsKey("chart")) {
                    notRendered.add(app.name() + " (" + (source.containsKey("chart")
                            ? "chart " + source.get("chart") + " " + source.get("targetRevision") + " not in charts.sh's cache"
                            : "source " + source.get("repoURL") + " is not a chart") + ")");
                }
            }
        }

        PodRequests total = counted.values().stream().reduce(PodRequests.NONE, PodRequests::plus);
        System.out.println("[k3d budget] requests per bundle (own objects, + Istio sidecars of meshed pods):");
        counted.forEach((what, requests) -> System.out.println("  " + what + ": " + requests));
        System.out.println("[k3d budget] total counted: " + total + " of the budget " + BUDGET_CPU_MILLIS + " m CPU, "
                + BUDGET_MEMORY_BYTES / (1024 * 1024) + " MiB");
        assertThat(total.cpuMillis()).as("CPU requests counted so far (a lower bound)").isLessThanOrEqualTo(BUDGET_CPU_MILLIS);
        assertThat(total.memoryBytes()).as("memory requests counted so far (a lower bound)")
                .isLessThanOrEqualTo(BUDGET_MEMORY_BYTES);
        if (!notRendered.isEmpty()) {
            String why = "NOT VERIFIED: the k3d total is at least " + total + " but " + notRendered.size()
                    + " Applications are not rendered here, so it is a lower bound: " + notRendered;
            System.out.println("[k3d budget] " + why);
            Assumptions.abort(why);
        }
    }

    private void count(String what, List<KubeObject> objects, int nodes, Set<String> meshed, PodRequests proxy) {
        PodRequests sum = PodRequests.NONE;
        for (KubeObject o : objects) {
            Map<String, Object> spec = KubeObject.path(o.body(), "spec");
            if (WORKLOADS.contains(o.kind())) {
                Map<String, Object> template = KubeObject.path(spec, "template");
                PodRequests pod = PodRequests.ofPod(KubeObject.path(template, "spec"));
                if (meshed.contains(o.namespace()) && !"false".equals(KubeObject.path(template, "metadata", "labels")
                        .get("sidecar.istio.io/inject"))) {
                    pod = pod.plus(proxy);
                }
                long replicas = "DaemonSet".equals(o.kind()) ? nodes
                        : ((Number) spec.getOrDefault("replicas", 1)).longValue();
                sum = sum.plus(pod.times(replicas));
            } else if (Set.of("Prometheus", "Alertmanager").contains(o.kind())) {
                // The operator's StatefulSet: the main container as the resource says, plus its config reloader.
                long replicas = ((Number) spec.getOrDefault("replicas", 1)).longValue();
                sum = sum.plus(PodRequests.ofContainer(spec).plus(reloader(objects, o)).times(replicas));
            }
        }
        if (!sum.equals(PodRequests.NONE)) {
            counted.merge(what, sum, PodRequests::plus);
        }
    }

    /** The config reloader's requests, from the operator Deployment's flags in the same render. */
    private PodRequests reloader(List<KubeObject> objects, KubeObject resource) {
        Map<String, Object> requests = new LinkedHashMap<>();
        for (KubeObject o : objects) {
            if ("Deployment".equals(o.kind())) {
                for (Object c : KubeObject.list(KubeObject.path(o.body(), "spec", "template", "spec").get("containers"))) {
                    for (Object arg : KubeObject.list(KubeObject.map(c).get("args"))) {
                        String a = String.valueOf(arg);
                        if (a.startsWith("--config-reloader-cpu-request=")) {
                            requests.put("cpu", a.substring(a.indexOf('=') + 1));
                        } else if (a.startsWith("--config-reloader-memory-request=")) {
                            requests.put("memory", a.substring(a.indexOf('=') + 1));
                        }
                    }
                }
            }
        }
        if (requests.size() < 2) {
            notRendered.add(resource.describe() + " (its config reloader's requests are not in the render)");
        }
        return PodRequests.ofRequests(requests);
    }

    /** A charts directory holding every k3d chart of the bundle from charts.sh's cache, or null if one is missing. */
    private static Path cachedCharts(Bundle bundle, Path dir) throws IOException {
        List<ChartSpec> charts = bundle.descriptor().chartsFor("k3d");
        if (charts.isEmpty()) {
            return null;
        }
        Path cache = ReleaseHarness.cacheDirectory("charts", "charts.sh");
        Files.createDirectories(dir);
        for (ChartSpec chart : charts) {
            Path cached = cache.resolve(chart.chartName()).resolve(chart.version()).resolve(chart.chartName());
            if (!Files.isDirectory(cached)) {
                return null;
            }
            copy(cached, dir.resolve(chart.chartName()));
        }
        return dir;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    /** The requests istiod gives every injected sidecar (global.proxy.resources of istio's istiod values). */
    private static PodRequests sidecarRequests(List<KubeObject> istio) {
        assertThat(istio).as("the release has platform/istio").isNotNull();
        KubeObject istiod = istio.stream().filter(o -> "Application".equals(o.kind()) && "istio-istiod".equals(o.name()))
                .findFirst().orElseThrow(() -> new AssertionError("no Application istio-istiod in istio's k3d render"));
        PodRequests proxy = PodRequests.ofRequests(KubeObject.path(istiod.body(), "spec", "source", "helm",
                "valuesObject", "global", "proxy", "resources", "requests"));
        assertThat(proxy.memoryBytes()).as("istiod values set the sidecar's requests").isPositive();
        return proxy;
    }

    private static Set<String> meshedNamespaces(List<KubeObject> objects) {
        Set<String> meshed = new TreeSet<>();
        objects.stream().filter(o -> "Namespace".equals(o.kind()))
                .filter(o -> "enabled".equals(o.labels().get("istio-injection"))).forEach(o -> meshed.add(o.name()));
        return meshed;
    }

    private static int nodes() throws IOException {
        Path file = ROOT.resolve("clusters/k3d/cluster.yaml");
        Map<String, Object> cluster = Yaml.readMap(Files.readString(file), file.toString());
        return ((Number) cluster.get("servers")).intValue() + ((Number) cluster.get("agents")).intValue();
    }
}
