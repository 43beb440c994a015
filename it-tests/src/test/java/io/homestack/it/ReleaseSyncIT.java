package io.homestack.it;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.mirror.ChartMirror;
import io.homestack.bundle.mirror.MirrorReport;
import io.homestack.bundle.oci.LocalRegistry;
import io.homestack.bundle.oci.LocalRegistryExtension;
import io.homestack.bundle.test.ArgoCdApplications;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.internal.Await;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RepositoryBundles;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.bundle.test.release.ReleaseHarness;
import io.homestack.bundle.test.release.ReleaseModule;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The product's promise, end to end: every bundle and the k3d release are pushed to a real registry (Debian's
 * docker-registry), the charts and Git sources that can be had here are mirrored into it ({@link ChartMirror}, policy
 * omit: the relocated release points at that registry and leaves out the Applications of charts not to be had here),
 * the release build's own root Application is applied, and the real Argo CD (application controller and repo server,
 * capability ARGOCD) syncs it onto the envtest control plane. cert-manager's contract (capability CERT_MANAGER) is
 * SIMULATED on envtest (the kit's CertManagerSimulation: its webhook, Issuers and Certificates; cert-manager cannot be
 * built here), printed as such. Needs the whole reactor built (it-tests depends on clusters/k3d).
 */
@HomestackCluster(topology = "k3d")
@RequiresCapability({Capability.ARGOCD, Capability.CERT_MANAGER, Capability.SCHEDULING, Capability.SEALED_SECRETS})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(LocalRegistryExtension.class)
class ReleaseSyncIT {

    static final Path ROOT = TestBinaries.repoRoot();
    static final Path RELEASE_MODULE = ROOT.resolve("clusters/k3d");

    static ReleaseHarness harness;
    static MirrorReport mirror;

    /** Every bundle and the release pushed, the charts mirrored: the harness {@code make preview} runs too. */
    @BeforeAll
    static void pushAndMirror(LocalRegistry registry, @TempDir Path work) {
        harness = new ReleaseHarness(ReleaseModule.of(ROOT, "clusters/k3d"), registry.address(), work);
        mirror = harness.mirror(harness.push());
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
        harness.applyRoot(cluster, "release-k3d", mirror.release().digest());

        Map<String, ArgoCdApplications.Entry> timeline = apps.awaitSyncedAndHealthy(plan.syncable(), Set.of(),
                Duration.ofMinutes(5));
        System.out.println("[e2e] " + apps.summary(timeline));

        // Waves in dependency order, by Argo CD's own times: no bundle Application's sync starts before every bundle
        // Application of an earlier wave has finished its sync (the app-of-apps health check requires the sync).
        List<String> order = plan.waveOrder(timeline);
        System.out.println("[e2e] waves in dependency order (" + order.size() + " pairs checked)"
                + (order.isEmpty() ? ": only one wave syncs here, so no order between waves is observed" : ""));
        Map<String, ArgoCdApplications.State> states = apps.states();
        assertThat(apps.seen()).as("Applications the mirror omitted: never created")
                .isNotEmpty().doesNotContainAnyElementsOf(plan.omitted().keySet());
        if (plan.blocked().containsKey("release-k3d")) {
            // A blocked wave holds the root's sync: its later waves are never created.
            assertThat(states.get("release-k3d").operationMessage()).as("the root's sync")
                    .startsWith("waiting for healthy state of argoproj.io/Application/");
            assertThat(apps.seen()).as("Applications of the waves after a blocked one: never created")
                    .doesNotContainAnyElementsOf(plan.laterWaves().keySet());
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
        // Pods of Jobs (Argo CD hooks, e.g. object-store's PostSync provisioning) have finished instead: the sync waits
        // for its hooks, and kwok completes a Job's pods (its pod-complete stage).
        List<String> nodes = cluster.topology().orElseThrow().nodes().stream().map(n -> n.name()).toList();
        var pods = cluster.client().pods().inAnyNamespace().list().getItems();
        assertThat(pods).as("pods of the synced Applications").isNotEmpty();
        int jobPods = 0;
        for (var pod : pods) {
            String ns = pod.getMetadata().getNamespace();
            String name = pod.getMetadata().getName();
            assertThat(nodes).as("node of pod " + name).contains(pod.getSpec().getNodeName());
            if (pod.getMetadata().getOwnerReferences().stream().anyMatch(o -> "Job".equals(o.getKind()))) {
                assertThat(pod.getStatus().getPhase()).as("phase of Job pod " + ns + "/" + name).isEqualTo("Succeeded");
                assertThatCluster(cluster).hasPodReferencesPresent(ns, name);
                jobPods++;
            } else {
                assertThatCluster(cluster).hasPodRunningOn(ns, name, pod.getSpec().getNodeName());
            }
        }
        System.out.println("[e2e] " + (pods.size() - jobPods) + " pods Running and " + jobPods + " Job pods Succeeded"
                + " on the k3d nodes with their Secrets, ConfigMaps and PVCs present; SealedSecrets in the synced bundles: "
                + cluster.client()
                .genericKubernetesResources("bitnami.com/v1alpha1", "SealedSecret").inAnyNamespace().list().getItems().size());
        for (var sealed : cluster.client().genericKubernetesResources("bitnami.com/v1alpha1", "SealedSecret").inAnyNamespace()
                .list().getItems()) {
            assertThatCluster(cluster).hasSecretUnsealed(sealed.getMetadata().getNamespace(), sealed.getMetadata().getName());
        }
    }

    /**
     * Which Applications of the release sync here, and why each other one does not: the mirror omitted it (its chart
     * or Git source cannot be had here: not deployed, so not verified, but its bundle is not held by it), its source
     * is not reachable here (kept upstream), it is in {@link #CANNOT_RUN_HERE}, it holds such a child (Argo CD
     * aggregates children's health), it is the root (its waves cannot all finish), or its wave comes after such a
     * blocked Application (Argo CD never creates it).
     */
    record Plan(List<String> syncable, Map<String, String> omitted, Map<String, String> blocked,
                Map<String, String> laterWaves, Map<String, Integer> bundleWaves, Set<String> emptied) {

        static Plan of(MirrorReport mirror) {
            Map<String, Object> release = readJson(RELEASE_MODULE.resolve("target/bundle/.homestack/release.json"));
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
                BundleOutput render = BundleOutput.of(ROOT.resolve(module(bundle)).resolve("target/bundle"));
                if (render.objects("k3d").stream().allMatch(o -> omitted.containsKey(o.name()))) {
                    emptied.add(bundle); // e.g. observability/tracing: charts only, all omitted
                }
                for (KubeObject app : render.objects("k3d", "Application")) {
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
            return new Plan(syncable, omitted, blocked, later, waves, emptied);
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
    }

    /** The module directory of a bundle, relative to the repository: {@code <group folder>/<name>}, found, not guessed. */
    static Path module(String bundle) {
        List<Path> found = RepositoryBundles.all(ROOT).stream().filter(d -> d.getFileName().toString().equals(bundle))
                .toList();
        if (found.size() != 1) {
            throw new IllegalStateException("the release names bundle '" + bundle + "', but " + found.size()
                    + " bundle directories of " + ROOT + " are called so: " + found);
        }
        return ROOT.toAbsolutePath().normalize().relativize(found.get(0));
    }

    static Map<String, Object> readJson(Path file) {
        try {
            return Yaml.readMap(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (build the release first: mvn install)", e);
        }
    }

    /**
     * What Argo CD applied is what the bundles render: every object of every synced bundle's k3d render is in the API
     * server with each rendered field's value (server-side, after defaulting; {@code holdsRendered}). The chart and
     * Git-source Applications the mirror relocated differ only in their source's repoURL and targetRevision.
     */
    @Test
    @Order(2)
    void theLiveObjectsHoldTheBundlesRenders(TestCluster cluster) {
        envtestOnly(cluster);
        Plan plan = Plan.of(mirror);
        int count = 0;
        for (String bundle : harness.release().waves().keySet()) {
            if (!plan.syncable().contains(bundle)) {
                continue;
            }
            List<KubeObject> objects = new ArrayList<>();
            for (KubeObject o : BundleOutput.of(ROOT.resolve(module(bundle)).resolve("target/bundle")).objects("k3d")) {
                if ("Application".equals(o.kind()) && plan.omitted().containsKey(o.name())) {
                    continue;
                }
                // a chart or Git source: the mirror relocated it (the rest of the Application is unchanged)
                if ("Application".equals(o.kind()) && !KubeObject.string(KubeObject.path(o.body(), "spec", "source")
                        .get("repoURL")).startsWith("oci://")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> body = (Map<String, Object>) KubeObject.deepCopy(o.body());
                    KubeObject.path(body, "spec", "source").remove("repoURL");
                    KubeObject.path(body, "spec", "source").remove("targetRevision");
                    o = new KubeObject(body, o.source());
                }
                objects.add(o);
            }
            assertThatCluster(cluster).holdsRendered(objects);
            count += objects.size();
        }
        System.out.println("[e2e] " + count + " objects of the synced bundles hold their rendered fields in the API server");
    }

    /** Drift: an object a synced bundle manages is deleted; Argo CD's self-heal (automated, selfHeal) restores it. */
    @Test
    @Order(3)
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
    @Order(4)
    void aReleaseDigestNotInTheRegistryFailsNamingTheApplicationAndArgoCdsMessage(TestCluster cluster) {
        envtestOnly(cluster);
        ArgoCdApplications apps = ArgoCdApplications.on(cluster);
        String missing = "sha256:" + "0".repeat(64);
        cluster.apply("root Application (missing digest)", harness.rootApplication("release-k3d-missing", missing));

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

    /**
     * Upgrade: release N+1 differs from N in one value of one bundle (media's TZ, in a ConfigMap generated with a
     * content hash, so its name changes and the Deployments roll). Only media's Application and the root sync again,
     * and the change is live: the Deployments read the new ConfigMap, and the old one is pruned.
     */
    @Test
    @Order(5)
    void anUpgradeResyncsOnlyTheChangedBundleAndTheChangeIsLive(TestCluster cluster, @TempDir Path work) {
        Map<String, String> env = upgrade(cluster, work, "N+1: media's TZ changed", TZ);
        assertThat(env).as("media's ConfigMap media-env-* after the upgrade").containsEntry("TZ", "Europe/Berlin");
        System.out.println("[e2e] upgrade: media-env is now " + env);
    }

    /** Prune: release N+2 also drops one object from media (nzbget's ServiceMonitor); Argo CD deletes it. */
    @Test
    @Order(6)
    void anObjectRemovedFromABundleIsPruned(TestCluster cluster, @TempDir Path work) {
        assumeTheReleaseSyncs(cluster);
        var monitors = cluster.client().genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                .inNamespace("media");
        assertThat(monitors.withName("nzbget").get()).as("ServiceMonitor media/nzbget before N+2").isNotNull();
        upgrade(cluster, work, "N+2: nzbget's ServiceMonitor removed", TZ.andThen(src -> NextRelease.replace(
                src.resolve("apps/media/manifests/base/nzbget/kustomization.yaml"), "  - servicemonitor.yaml\n", "")));
        assertThat(monitors.withName("nzbget").get()).as("ServiceMonitor media/nzbget after N+2 (pruned)").isNull();
        assertThat(monitors.withName("sonarr").get()).as("ServiceMonitor media/sonarr (still in the bundle)").isNotNull();
        System.out.println("[e2e] prune: ServiceMonitor media/nzbget removed from the bundle, deleted by Argo CD");
    }

    /**
     * Backup and restore beside a running Argo CD (docs/disaster-recovery.md): media, as the release deployed it, backed
     * up by the real Velero with backup/velero's synced location, credentials and Schedule ({@link VeleroRoundTrip}),
     * restored into a new namespace (with the bundle's resource modifiers restore-as-copy, which drop Argo CD's tracking
     * annotation: without them the copies' health, a copied SealedSecret that cannot unseal, made media Degraded) and
     * over the existing one. Argo CD neither prunes nor adopts the copies, and media stays Synced and Healthy without
     * starting a sync.
     */
    @Test
    @Order(7)
    void aVeleroRestoreBesideArgoCdIsNeitherPrunedNorFought(TestCluster cluster, @TempDir Path work) {
        assumeTheReleaseSyncs(cluster);
        ArgoCdApplications apps = ArgoCdApplications.on(cluster);
        apps.awaitSyncedAndHealthy(List.of("media", "object-store", "velero"), Set.of(), Duration.ofMinutes(2));
        ArgoCdApplications.State before = apps.states().get("media");
        String copies = "media-beside-argocd";
        try (VeleroRoundTrip velero = VeleroRoundTrip.besideTheKitsVelero(cluster, render("backup/object-store"),
                VeleroRoundTrip.serverImage(render("backup/velero"), "k3d"), "k3d", work)) {
            velero.completed(velero.backupFromSchedule("media-daily", "media-beside-argocd",
                    Map.of("defaultVolumesToFsBackup", false, "snapshotVolumes", false)));
            velero.completed(velero.restore("media-beside-argocd", "media-into-new-namespace",
                    Map.of("namespaceMapping", Map.of("media", copies), "resourceModifier", RESTORE_AS_COPY)));
            velero.completed(velero.restore("media-beside-argocd", "media-over-existing", Map.of()));
        }
        List<String> restored = deployments(cluster, copies);
        assertThat(restored).as("Deployments restored into " + copies).containsExactlyInAnyOrderElementsOf(
                deployments(cluster, "media"));
        apps.refresh("media", Duration.ofMinutes(1));
        ArgoCdApplications.State after = apps.states().get("media");
        assertThat(after.ready()).as("media after the restores: " + after + "\n  unhealthy: "
                + apps.unhealthyResources("media")).isTrue();
        assertThat(after.started()).as("media started no sync for the restores: " + operation(cluster, "media"))
                .isEqualTo(before.started());
        assertThat(deployments(cluster, copies)).as("the copies in " + copies + " after Argo CD's refresh (not pruned)")
                .containsExactlyInAnyOrderElementsOf(restored);
        assertThat(apps.resources("media")).as("media's resources in Argo CD (the copies are not adopted)")
                .noneMatch(r -> copies.equals(r.namespace()));
        System.out.println("[e2e] Velero: media backed up, restored into " + copies + " and over itself beside Argo CD;"
                + " media stayed " + after.sync() + "/" + after.health() + " with no sync, the copies were left alone");
    }

    /** backup/velero's resource modifiers for a copy in another namespace: Argo CD's tracking annotation removed. */
    static final Map<String, String> RESTORE_AS_COPY = Map.of("kind", "ConfigMap", "name", "restore-as-copy");

    private static List<String> deployments(TestCluster cluster, String namespace) {
        return cluster.client().apps().deployments().inNamespace(namespace).list().getItems().stream()
                .map(d -> d.getMetadata().getName()).sorted().toList();
    }

    private static BundleOutput render(String module) {
        return BundleOutput.of(ROOT.resolve(module).resolve("target/bundle"));
    }

    static final java.util.function.Consumer<Path> TZ = src -> NextRelease.replace(
            src.resolve("apps/media/manifests/base/kustomization.yaml"), "TZ=Etc/UTC", "TZ=Europe/Berlin");

    /**
     * Builds the next release with one edit in media, pushes and mirrors it, points the root at it, and waits until
     * media has synced it; asserts that no other Application (but the root) started a sync. Returns media's
     * ConfigMap media-env-* data, the one the Deployments read.
     */
    Map<String, String> upgrade(TestCluster cluster, Path work, String what, java.util.function.Consumer<Path> edit) {
        assumeTheReleaseSyncs(cluster);
        ArgoCdApplications apps = ArgoCdApplications.on(cluster);
        Map<String, ArgoCdApplications.State> before = apps.states();
        Map<String, String> revisionsBefore = new TreeMap<>();
        before.keySet().forEach(n -> revisionsBefore.put(n, targetRevision(cluster, n)));
        NextRelease.Built next = NextRelease.build(harness.release(), Path.of("apps/media"), work, edit);
        MirrorReport relocated = harness.mirror(harness.push(Map.of("media", next.bundle()), next.release()));
        harness.applyRoot(cluster, "release-k3d", relocated.release().digest());

        String media = relocated.bundles().stream().filter(b -> b.name().equals("media")).findFirst().orElseThrow().digest();
        Await.until(Duration.ofMinutes(3), "media synced at " + media + " (" + what + ")", () -> {
            ArgoCdApplications.State s = apps.states().get("media");
            return s != null && s.ready() && !java.util.Objects.equals(s.started(), before.get("media").started())
                    && media.equals(targetRevision(cluster, "media"));
        }, () -> String.valueOf(apps.states().get("media")));
        apps.awaitSyncedAndHealthy(before.keySet(), Set.of(), Duration.ofMinutes(2));
        Map<String, ArgoCdApplications.State> after = apps.states();
        List<String> resynced = after.keySet().stream().filter(n -> before.containsKey(n)
                && !java.util.Objects.equals(before.get(n).started(), after.get(n).started())).sorted().toList();
        assertThat(resynced).as("Applications that started a sync for " + what + "; before and after:\n"
                + resynced.stream().map(n -> "  " + before.get(n) + "\n      targetRevision " + revisionsBefore.get(n)
                        + "\n  " + after.get(n) + "\n      targetRevision " + targetRevision(cluster, n)
                        + "\n      operation " + operation(cluster, n))
                        .collect(Collectors.joining("\n"))).containsExactly("media", "release-k3d");
        System.out.println("[e2e] " + what + ": re-synced " + resynced + ", the other " + (after.size() - 2)
                + " untouched");

        var configMaps = cluster.client().configMaps().inNamespace("media").list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith("media-env-")).toList();
        assertThat(configMaps).as("media-env ConfigMaps (the old one pruned)").hasSize(1);
        String name = configMaps.get(0).getMetadata().getName();
        for (var d : cluster.client().apps().deployments().inNamespace("media").list().getItems()) {
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom())
                    .as("envFrom of Deployment media/" + d.getMetadata().getName())
                    .anyMatch(e -> e.getConfigMapRef() != null && name.equals(e.getConfigMapRef().getName()));
            assertThatCluster(cluster).hasDeploymentAvailable("media", d.getMetadata().getName());
        }
        return configMaps.get(0).getData();
    }

    /** An upgrade needs a root whose sync finished: Argo CD starts no new sync of the root while one runs. */
    static void assumeTheReleaseSyncs(TestCluster cluster) {
        envtestOnly(cluster);
        Plan plan = Plan.of(mirror);
        Assumptions.assumeFalse(plan.blocked().containsKey("release-k3d"), "the release does not fully sync here, and"
                + " Argo CD starts no new sync of the root while one runs: " + plan.blocked().get("release-k3d"));
    }

    /** What Argo CD's last operation of an Application did: who started it and what it applied. */
    static String operation(TestCluster cluster, String application) {
        var app = cluster.client().genericKubernetesResources("argoproj.io/v1alpha1", "Application")
                .inNamespace(ArgoCdApplications.NAMESPACE).withName(application).get();
        if (app == null) {
            return "(none)";
        }
        Map<String, Object> op = KubeObject.path(app.getAdditionalProperties(), "status", "operationState");
        return "initiatedBy " + KubeObject.path(op, "operation", "initiatedBy") + ", resources "
                + KubeObject.list(KubeObject.path(op, "syncResult").get("resources")).stream()
                .map(r -> KubeObject.map(r)).map(r -> r.get("kind") + "/" + r.get("name") + " " + r.get("status")
                        + " " + r.get("message")).collect(Collectors.joining("; "));
    }

    static String targetRevision(TestCluster cluster, String application) {
        var app = cluster.client().genericKubernetesResources("argoproj.io/v1alpha1", "Application")
                .inNamespace(ArgoCdApplications.NAMESPACE).withName(application).get();
        return app == null ? null : KubeObject.string(KubeObject.path(app.getAdditionalProperties(), "spec", "source")
                .get("targetRevision"));
    }

    /** The registry listens on this machine's loopback: only Argo CD running here (envtest) can pull from it. */
    static void envtestOnly(TestCluster cluster) {
        Assumptions.assumeTrue(cluster.kind() == ClusterKind.ENVTEST, "the release E2E runs on envtest: its registry is on"
                + " 127.0.0.1, which the Argo CD of a " + cluster.kind().id() + " cluster cannot reach");
    }
}
