package io.homestack.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.internal.TestBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backup → restore of apps/media with a real Velero and a real S3 server ({@link VeleroRoundTrip}), on the k3d
 * topology: platform/storage, apps/media, backup/object-store and backup/velero applied as rendered for k3d, their
 * SealedSecrets unsealed by the real controller. Proves: the provisioning Job's script makes the buckets and users
 * (twice, idempotent), the velero user's credentials from velero's render reach the bucket, the media Schedule's
 * backup completes without warnings, a restore into a new namespace recreates every object of the render equal to the
 * original (modulo namespace and the fields the API server and Velero own) and the apps start there, and a restore
 * over the existing namespace recreates what is missing and leaves what exists untouched (Velero's default
 * existingResourcePolicy none; docs/disaster-recovery.md). Not here: file-system backup of PVC data (the node agent
 * needs a kubelet's volumes: the k3d runtime tier), and Argo CD beside the restore (ReleaseSyncIT).
 */
@HomestackCluster(topology = "k3d")
@RequiresCapability({Capability.SEALED_SECRETS, Capability.VOLUMES, Capability.SCHEDULING})
class BackupRestoreIT {

    static final Path ROOT = TestBinaries.repoRoot();
    static final String MEDIA = "media";
    static final String RESTORED = "media-restored";

    TestCluster cluster;

    @TempDir
    Path work;

    @Test
    void mediaBacksUpRestoresIntoANewNamespaceAndSkipsWhatExists() {
        applyBundles();
        List<KubeObject> media = namespaced(render("apps/media").objects("k3d"));
        for (String name : List.of("nzbget", "sonarr", "radarr", "prowlarr")) {
            assertThatCluster(cluster).hasDeploymentAvailable(MEDIA, name);
        }

        try (VeleroRoundTrip velero = VeleroRoundTrip.start(cluster, render("backup/object-store"),
                VeleroRoundTrip.serverImage(render("backup/velero"), "k3d"), "k3d", work)) {
            // No file-system backup here: no node agent can read a kubelet's volumes (the k3d tier covers it).
            GenericKubernetesResource backup = velero.completed(velero.backupFromSchedule("media-daily",
                    "media-round-trip", Map.of("defaultVolumesToFsBackup", false, "snapshotVolumes", false)));
            assertThat(VeleroRoundTrip.status(backup)).as("backup warnings/errors: %s",
                    velero.describe("Backup", "media-round-trip")).doesNotContainKeys("warnings", "errors");

            velero.completed(velero.restore("media-round-trip", "media-to-new-namespace",
                    Map.of("namespaceMapping", Map.of(MEDIA, RESTORED), "resourceModifier", ReleaseSyncIT.RESTORE_AS_COPY)));
            for (KubeObject o : media) {
                assertThat(normalised(get(o, RESTORED))).as("%s restored into %s", o.describe(), RESTORED)
                        .isEqualTo(normalised(get(o, MEDIA)));
            }
            for (String name : List.of("nzbget", "sonarr", "radarr", "prowlarr")) {
                assertThatCluster(cluster).hasPvcBound(RESTORED, name + "-config").hasDeploymentAvailable(RESTORED, name);
            }

            // Over the existing namespace: a changed object stays as it is, a deleted one comes back.
            KubeObject configMap = media.stream().filter(o -> o.kind().equals("ConfigMap")).findFirst().orElseThrow();
            KubeObject service = media.stream().filter(o -> o.kind().equals("Service")).findFirst().orElseThrow();
            cluster.client().configMaps().inNamespace(MEDIA).withName(configMap.name())
                    .edit(cm -> { cm.getData().put("CHANGED_AFTER_BACKUP", "kept"); return cm; });
            cluster.client().services().inNamespace(MEDIA).withName(service.name()).delete();
            awaitGone(service);
            velero.completed(velero.restore("media-round-trip", "media-over-existing", Map.of()));
            String report = velero.describe("Restore", "media-over-existing");
            assertThat(cluster.client().configMaps().inNamespace(MEDIA).withName(configMap.name()).get().getData())
                    .as("an existing object is not replaced (existingResourcePolicy none)")
                    .containsEntry("CHANGED_AFTER_BACKUP", "kept");
            assertThat(report).as("Velero warns about the object that differs").contains(configMap.name())
                    .contains("already exists");
            assertThat(cluster.client().services().inNamespace(MEDIA).withName(service.name()).get())
                    .as("a deleted object comes back").isNotNull();
        }
    }

    /**
     * What a user sees when the object store is wrong or gone, surfaced by the kit with Velero's own reason: wrong
     * credentials and a missing bucket make the location Unavailable (and a backup to it fails validation), an object
     * store that is down fails the backup. Velero's texts, not ours, are asserted.
     */
    @Test
    void objectStoreFaultsAreReportedWithVelerosReason() {
        applyBundles();
        try (VeleroRoundTrip velero = VeleroRoundTrip.start(cluster, render("backup/object-store"),
                VeleroRoundTrip.serverImage(render("backup/velero"), "k3d"), "k3d", work)) {
            GenericKubernetesResource wrongKey = velero.location("wrong-credentials", "velero",
                    "[default]\naws_access_key_id=velero\naws_secret_access_key=not-the-secret\n");
            assertThat(VeleroRoundTrip.phase(wrongKey)).isEqualTo("Unavailable");
            assertThat(VeleroRoundTrip.status(wrongKey).get("message")).asString().contains("SignatureDoesNotMatch");
            GenericKubernetesResource refused = velero.backup("to-wrong-credentials", "wrong-credentials", List.of(MEDIA));
            assertThat(VeleroRoundTrip.phase(refused)).isEqualTo("FailedValidation");
            assertThat(VeleroRoundTrip.status(refused).get("validationErrors")).asString()
                    .contains("wrong-credentials").contains("Unavailable");

            GenericKubernetesResource noBucket = velero.location("missing-bucket", "no-such-bucket",
                    "[default]\naws_access_key_id=velero\naws_secret_access_key=velero-k3d-test-secret\n");
            assertThat(VeleroRoundTrip.phase(noBucket)).isEqualTo("Unavailable");
            assertThat(VeleroRoundTrip.status(noBucket).get("message")).asString().contains("NoSuchBucket");

            velero.stopObjectStore();
            GenericKubernetesResource down = velero.backup("object-store-down", "default", List.of(MEDIA));
            assertThat(VeleroRoundTrip.phase(down)).as(velero.describe("Backup", "object-store-down")).isEqualTo("Failed");
            assertThat(VeleroRoundTrip.status(down).get("failureReason")).asString()
                    .contains("error checking if backup already exists in object storage").contains("StatusCode: 502");
        }
    }

    private void applyBundles() {
        for (String bundle : List.of("platform/storage", "apps/media", "backup/object-store", "backup/velero")) {
            cluster.apply(render(bundle), "k3d");
        }
        assertThatCluster(cluster).hasSecretUnsealed(VeleroRoundTrip.NAMESPACE, "velero-s3-credentials");
    }

    private BundleOutput render(String module) {
        return BundleOutput.of(ROOT.resolve(module).resolve("target/bundle"));
    }

    private static List<KubeObject> namespaced(List<KubeObject> objects) {
        return objects.stream().filter(o -> MEDIA.equals(o.namespace())).toList();
    }

    private GenericKubernetesResource get(KubeObject o, String namespace) {
        GenericKubernetesResource live = cluster.client().genericKubernetesResources(o.apiVersion(), o.kind())
                .inNamespace(namespace).withName(o.name()).get();
        assertThat(live).as("%s in %s", o.describe(), namespace).isNotNull();
        return live;
    }

    private void awaitGone(KubeObject o) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (cluster.client().genericKubernetesResources(o.apiVersion(), o.kind()).inNamespace(MEDIA)
                .withName(o.name()).get() != null) {
            assertThat(System.nanoTime()).as("%s deleted", o.describe()).isLessThan(deadline);
            VeleroRoundTrip.sleep(100);
        }
    }

    /**
     * The object without what the API server, the controllers and Velero set: metadata the server owns, the namespace,
     * owner references, status, Velero's restore labels, a Service's cluster IPs and a claim's bound volume (Velero
     * restores the claim unbound: no volume was backed up, the StorageClass provisions a new one).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> normalised(GenericKubernetesResource r) {
        Map<String, Object> m = new ObjectMapper().convertValue(r, LinkedHashMap.class);
        Map<String, Object> meta = (Map<String, Object>) m.get("metadata");
        for (String k : List.of("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                "namespace", "ownerReferences", "selfLink")) {
            meta.remove(k);
        }
        strip((Map<String, Object>) meta.get("labels"), "velero.io/");
        strip((Map<String, Object>) meta.get("annotations"), "argocd.argoproj.io/tracking-id", "deployment.kubernetes.io/",
                "pv.kubernetes.io/",
                "volume.kubernetes.io/", "volume.beta.kubernetes.io/");
        meta.values().removeIf(v -> v instanceof Map<?, ?> map && map.isEmpty());
        m.remove("status");
        Map<String, Object> spec = KubeObject.map(m.get("spec"));
        if ("Service".equals(r.getKind())) {
            new ArrayList<>(List.of("clusterIP", "clusterIPs")).forEach(spec::remove);
        }
        if ("PersistentVolumeClaim".equals(r.getKind())) {
            spec.remove("volumeName");
        }
        return m;
    }

    private static void strip(Map<String, Object> map, String... prefixes) {
        if (map != null) {
            map.keySet().removeIf(k -> List.of(prefixes).stream().anyMatch(k::startsWith));
        }
    }
}
