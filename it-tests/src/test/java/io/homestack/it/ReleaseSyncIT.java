package io.homestack.it;

import io.homestack.bundle.k8s.KubeObject;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    static ReleaseHarness harness;
    static MirrorReport mirror;

    /** Every bundle and the release pushed, the charts mirrored: the harness {@code make preview} runs too. */
    @BeforeAll
    static void pushAndMirror(LocalRegistry registry, @TempDir Path work) {
        harness = new ReleaseHarness(ReleaseModule.of(ROOT, "clusters/k3d"), registry.address(), work);
        mirror = harness.mirror(harness.push());
    }

    @Test
    @Order(1)
    void argoCdSyncsTheReleaseWaveByWave(TestCluster cluster) {
        envtestOnly(cluster);
        ReleaseSyncChecks.syncWaveByWave(cluster, harness, mirror);
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
        ReleaseSyncChecks.liveObjectsHoldRenders(cluster, harness, mirror);
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
        ReleasePlan plan = ReleasePlan.of(mirror, harness.release());
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
