package io.homestack.it;

import io.homestack.bundle.BundleLog;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.mirror.ChartMirror;
import io.homestack.bundle.mirror.MirrorReport;
import io.homestack.bundle.mirror.MirrorSpec;
import io.homestack.bundle.oci.LocalRegistry;
import io.homestack.bundle.oci.LocalRegistryExtension;
import io.homestack.testsupport.TestTools;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.test.ArgoCdApplications;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.internal.Await;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.internal.TestBinaries;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The product's promise, end to end: every bundle and the k3d release are pushed to a real registry (Debian's
 * docker-registry), the charts that can be had here are mirrored into it ({@link ChartMirror}, the relocated release
 * pointing at that registry), the release build's own root Application is applied, and the real Argo CD
 * (application controller and repo server, capability ARGOCD) syncs it onto the envtest control plane. cert-manager's
 * contract (capability CERT_MANAGER) is SIMULATED on envtest (the kit's CertManagerSimulation: its webhook, Issuers and
 * Certificates; cert-manager cannot be built here), printed as such. Needs the whole reactor built (it-tests depends on
 * clusters/k3d).
 */
@HomestackCluster(topology = "k3d")
@RequiresCapability({Capability.ARGOCD, Capability.CERT_MANAGER, Capability.SCHEDULING, Capability.SEALED_SECRETS})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(LocalRegistryExtension.class)
class ReleaseSyncIT {

    static final Path ROOT = TestBinaries.repoRoot();
    static final Path RELEASE_MODULE = ROOT.resolve("clusters/k3d");
    static final String PREFIX = "homestack";
    static final String MIRROR_PREFIX = "homestack-mirror";

    static LocalRegistry registry;
    static MirrorReport mirror;
    static Path mirrorDir;

    @BeforeAll
    static void pushAndMirror(LocalRegistry started, @TempDir Path work) throws IOException {
        if (!Files.isDirectory(chartsDirectory())) {
            throw TestTools.missing("no chart directory " + chartsDirectory() + ": run tooling/k8s-test-binaries/charts.sh");
        }
        registry = started;
        RegistryClient client = RegistryClient.builder(registry.target(PREFIX)).build();
        for (Path module : bundleModules()) {
            client.push(OciLayout.read(module.resolve("target/oci")), module.getFileName().toString());
        }
        String release = client.push(OciLayout.read(RELEASE_MODULE.resolve("target/oci")), "release-k3d").digest();
        mirrorDir = work.resolve("mirror");
        MirrorSpec spec = new MirrorSpec(registry.target(""), PREFIX + "/release-k3d", release,
                registry.target(MIRROR_PREFIX), registry.address(), List.of(chartsDirectory()), true, mirrorDir);
        mirror = new ChartMirror(spec, RegistryClient.builder(registry.target("")).build(),
                RegistryClient.builder(registry.target(MIRROR_PREFIX)).build(), BundleLog.SILENT).run();
    }

    /**
     * Applications that cannot become Healthy here although their source is available, by name, with the reason.
     * Everything else the release contains must sync, unless its source cannot be had here (computed below). Empty
     * since cert-manager's contract is simulated (capability CERT_MANAGER).
     */
    static final Map<String, String> CANNOT_RUN_HERE = Map.of();

    @Test
    @Order(1)
    void argoCdSyncsTheReleaseWaveByWave(TestCluster cluster) {
        envtestOnly(cluster);
        ArgoCdApplications apps = ArgoCdApplications.on(cluster);
        Plan plan = Plan.of(mirror);
        plan.print();
        cluster.apply("mirror repository", read(mirrorDir.resolve(ChartMirror.REPOSITORY_SECRET)));
        cluster.apply("root Application", rootApplication("release-k3d", mirror.release().digest()));

        Map<String, ArgoCdApplications.Entry> timeline = apps.awaitSyncedAndHealthy(plan.syncable(), Set.of(),
                Duration.ofMinutes(5));
        Duration syncTime = Duration.between(apps.since(), timeline.values().stream()
                .map(ArgoCdApplications.Entry::healthySeen).max(java.util.Comparator.naturalOrder()).orElseThrow());
        System.out.println("[e2e] Synced and Healthy (" + timeline.size() + "), " + syncTime.toMillis() / 1000.0
                + " s after the root Application was applied:\n" + apps.timeline(timeline));

        // Waves in dependency order, by Argo CD's own times: no bundle Application's sync starts before every bundle
        // Application of an earlier wave has finished its sync (the app-of-apps health check requires the sync).
        List<String> order = plan.waveOrder(timeline);
        System.out.println("[e2e] waves in dependency order (" + order.size() + " pairs checked)"
                + (order.isEmpty() ? ": only one wave syncs here, so no order between waves is observed" : ""));
        Map<String, ArgoCdApplications.State> states = apps.states();
        if (plan.blocked().containsKey("release-k3d")) {
            // A blocked wave holds the root's sync: its later waves are never created.
            assertThat(states.get("release-k3d").operationMessage()).as("the root's sync")
                    .startsWith("waiting for healthy state of argoproj.io/Application/");
            assertThat(apps.seen()).as("Applications of the waves after a blocked one: never created")
                    .isNotEmpty().doesNotContainAnyElementsOf(plan.laterWaves().keySet());
            System.out.println("[e2e] the root waits: " + states.get("release-k3d").operationMessage()
                    + "\n[e2e] not Synced here (Argo CD's words):\n" + plan.blocked().keySet().stream()
                    .map(n -> "  " + (states.containsKey(n) ? states.get(n) : n + ": not created"))
                    .collect(Collectors.joining("\n")));
        }
        // cert-manager's Certificates (SIMULATED issuing) are what Argo CD's health checks read: Ready with a TLS Secret.
        for (var certificate : cluster.client().genericKubernetesResources("cert-manager.io/v1", "Certificate")
                .inAnyNamespace().list().getItems()) {
            String ns = certificate.getMetadata().getNamespace();
            assertThatCluster(cluster).hasCertificateReady(ns, certificate.getMetadata().getName());
            String secretName = KubeObject.string(KubeObject.map(certificate.getAdditionalProperties().get("spec")).get("secretName"));
            assertThat(cluster.client().secrets().inNamespace(ns).withName(secretName).get().getType())
                    .as("Secret " + ns + "/" + secretName).isEqualTo("kubernetes.io/tls");
            System.out.println("[e2e] Certificate " + ns + "/" + certificate.getMetadata().getName()
                    + " Ready with Secret " + secretName + " (SIMULATED cert-manager)");
        }

        // Fidelity: every pod the synced charts made runs on a simulated k3d node, with what it references present.
        List<String> nodes = cluster.topology().orElseThrow().nodes().stream().map(n -> n.name()).toList();
        var pods = cluster.client().pods().inAnyNamespace().list().getItems();
        assertThat(pods).as("pods of the synced Applications").isNotEmpty();
        for (var pod : pods) {
            assertThat(nodes).as("node of pod " + pod.getMetadata().getName()).contains(pod.getSpec().getNodeName());
            assertThatCluster(cluster).hasPodRunningOn(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    pod.getSpec().getNodeName());
        }
        System.out.println("[e2e] " + pods.size() + " pods Running on the k3d nodes with their Secrets, ConfigMaps and"
                + " PVCs present; SealedSecrets in the synced bundles: " + cluster.client()
                .genericKubernetesResources("bitnami.com/v1alpha1", "SealedSecret").inAnyNamespace().list().getItems().size());
        for (var sealed : cluster.client().genericKubernetesResources("bitnami.com/v1alpha1", "SealedSecret").inAnyNamespace()
                .list().getItems()) {
            assertThatCluster(cluster).hasSecretUnsealed(sealed.getMetadata().getNamespace(), sealed.getMetadata().getName());
        }
    }

    /**
     * Which Applications of the release sync here, and why each other one does not: its source cannot be had here
     * (a chart not mirrorable, a Git repository), it is in {@link #CANNOT_RUN_HERE}, it holds such a child (Argo CD
     * aggregates children's health), it is the root (its waves cannot all finish), or its wave comes after such a
     * blocked Application (Argo CD never creates it).
     */
    record Plan(List<String> syncable, Map<String, String> blocked, Map<String, String> laterWaves,
                Map<String, Integer> bundleWaves) {

        static Plan of(MirrorReport mirror) {
            Map<String, Object> release = readJson(RELEASE_MODULE.resolve("target/bundle/.homestack/release.json"));
            Set<String> missingCharts = new TreeSet<>();
            mirror.missingCharts().forEach(c -> missingCharts.add(c.bundle() + "/" + c.chart()));
            Map<String, String> blocked = new TreeMap<>();
            Map<String, List<String>> children = new TreeMap<>();
            Map<String, Integer> waves = new TreeMap<>();
            for (Object b : KubeObject.list(release.get("bundles"))) {
                String bundle = KubeObject.string(KubeObject.map(b).get("name"));
                waves.put(bundle, Integer.parseInt(String.valueOf(KubeObject.map(b).get("wave"))));
                List<String> names = new ArrayList<>();
                for (KubeObject app : BundleOutput.of(ROOT.resolve(module(bundle)).resolve("target/bundle"))
                        .objects("k3d", "Application")) {
                    names.add(app.name());
                    Map<String, Object> source = KubeObject.path(app.body(), "spec", "source");
                    String repo = KubeObject.string(source.get("repoURL"));
                    String chart = KubeObject.string(source.get("chart"));
                    if (chart != null && missingCharts.contains(bundle + "/" + chart)) {
                        blocked.put(app.name(), "chart " + chart + " from " + repo + " could not be mirrored here");
                    } else if (chart == null && !repo.startsWith("oci://")) {
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
                blocked.put("release-k3d", "the root: its waves cannot all finish here");
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
            if (!blocked.containsKey("release-k3d")) {
                syncable.add("release-k3d");
            }
            return new Plan(syncable, blocked, later, waves);
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
                if (earlierWave < laterWave && l != null && e != null) {
                    assertThat(e.syncFinished()).as(earlier + " sync finished").isNotNull();
                    assertThat(l.syncStarted()).as(later + " (wave " + laterWave + ") sync start, after " + earlier
                            + " (wave " + earlierWave + ") finished").isNotNull().isAfterOrEqualTo(e.syncFinished());
                    checked.add(later + " after " + earlier);
                }
            }));
            return checked;
        }

        void print() {
            System.out.println("[e2e] " + syncable.size() + " Applications must sync here: " + syncable);
            System.out.println("[e2e] " + (blocked.size() + laterWaves.size()) + " Applications NOT VERIFIED here:");
            blocked.forEach((n, why) -> System.out.println("  " + n + ": " + why));
            laterWaves.forEach((n, why) -> System.out.println("  " + n + ": " + why + " (asserted: never created)"));
        }
    }

    /** The module directory of a bundle: platform/<name> or apps/<name>. */
    static Path module(String bundle) {
        return Files.isDirectory(ROOT.resolve("platform").resolve(bundle)) ? Path.of("platform", bundle) : Path.of("apps", bundle);
    }

    static Map<String, Object> readJson(Path file) {
        try {
            return Yaml.readMap(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (build the release first: mvn install)", e);
        }
    }

    /** Drift: an object a synced bundle manages is deleted; Argo CD's self-heal (automated, selfHeal) restores it. */
    @Test
    @Order(2)
    void selfHealRestoresADeletedObject(TestCluster cluster) {
        envtestOnly(cluster);
        var classes = cluster.client().storage().v1().storageClasses();
        var before = classes.withName("standard").get();
        assertThat(before).as("StorageClass standard of the storage bundle, synced by Argo CD").isNotNull();
        long t0 = System.nanoTime();
        classes.withName("standard").delete();
        Await.until(Duration.ofMinutes(2), "StorageClass standard restored by Argo CD's self-heal", () -> {
            var now = classes.withName("standard").get();
            return now != null && !now.getMetadata().getUid().equals(before.getMetadata().getUid());
        }, () -> String.valueOf(ArgoCdApplications.on(cluster).states().get("storage")));
        System.out.printf("[e2e] drift: StorageClass standard deleted, restored by self-heal in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    @Order(3)
    void aReleaseDigestNotInTheRegistryFailsNamingTheApplicationAndArgoCdsMessage(TestCluster cluster) {
        envtestOnly(cluster);
        ArgoCdApplications apps = ArgoCdApplications.on(cluster);
        String missing = "sha256:" + "0".repeat(64);
        cluster.apply("root Application (missing digest)", rootApplication("release-k3d-missing", missing));

        assertThatThrownBy(() -> apps.awaitSyncedAndHealthy(List.of("release-k3d-missing"), Set.of(), Duration.ofSeconds(60)))
                .isInstanceOf(AssertionError.class)
                .satisfies(e -> {
                    List<String> conditions = apps.states().get("release-k3d-missing").conditions();
                    assertThat(conditions).as("Argo CD's conditions").isNotEmpty();
                    assertThat(e.getMessage()).contains("release-k3d-missing (wave 0)");
                    conditions.forEach(c -> assertThat(e.getMessage()).contains(c));
                    assertThat(String.join("\n", conditions)).contains(missing);
                });
        System.out.println("[e2e] a missing release digest is reported as:\n" + apps.states().get("release-k3d-missing"));
        cluster.client().genericKubernetesResources("argoproj.io/v1alpha1", "Application")
                .inNamespace(ArgoCdApplications.NAMESPACE).withName("release-k3d-missing").delete();
    }

    /** The registry listens on this machine's loopback: only Argo CD running here (envtest) can pull from it. */
    static void envtestOnly(TestCluster cluster) {
        Assumptions.assumeTrue(cluster.kind() == ClusterKind.ENVTEST, "the release E2E runs on envtest: its registry is on"
                + " 127.0.0.1, which the Argo CD of a " + cluster.kind().id() + " cluster cannot reach");
    }

    /** The release build's root Application and repo-creds template, pointed at the relocated release here. */
    static List<KubeObject> rootApplication(String name, String digest) {
        List<KubeObject> out = new ArrayList<>();
        for (KubeObject o : read(RELEASE_MODULE.resolve("target/root-application-k3d.yaml"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) KubeObject.deepCopy(o.body());
            if ("Application".equals(o.kind())) {
                KubeObject.path(body, "metadata").put("name", name);
                Map<String, Object> source = KubeObject.path(body, "spec", "source");
                source.put("repoURL", "oci://" + registry.address() + "/" + MIRROR_PREFIX + "/release-k3d");
                source.put("targetRevision", digest);
            } else {
                Map<String, Object> data = KubeObject.path(body, "stringData");
                data.put("url", "oci://" + registry.address() + "/" + MIRROR_PREFIX);
                data.put("insecureOCIForceHttp", "true");
            }
            out.add(new KubeObject(body, o.source()));
        }
        return out;
    }

    static List<Path> bundleModules() {
        List<Path> modules = new ArrayList<>();
        for (String group : List.of("platform", "apps")) {
            try (Stream<Path> dirs = Files.list(ROOT.resolve(group))) {
                dirs.filter(d -> Files.isDirectory(d.resolve("target/oci"))).sorted().forEach(modules::add);
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + ROOT.resolve(group), e);
            }
        }
        return modules;
    }

    static Path chartsDirectory() {
        return Path.of(System.getenv().getOrDefault("HOMESTACK_K8S_BIN_DIR", System.getProperty("user.home") + "/.kubeapitest"))
                .resolve("charts");
    }

    static List<KubeObject> read(Path file) {
        try {
            List<KubeObject> objects = new ArrayList<>();
            for (Map<String, Object> doc : Yaml.readAll(Files.readString(file), file.toString())) {
                objects.add(new KubeObject(new LinkedHashMap<>(doc), file.toString()));
            }
            return objects;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (build the release first: mvn install)", e);
        }
    }
}
