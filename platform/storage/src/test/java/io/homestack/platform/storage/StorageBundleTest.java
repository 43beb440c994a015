package io.homestack.platform.storage;

import io.homestack.bundle.inventory.Inventory;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.render.Kustomize;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the rendered storage bundle (target/bundle/&lt;env&gt;) and the PVC component app bundles include. */
class StorageBundleTest {

    private static final Path BUNDLE_DIR = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();

    private final BundleOutput output = BundleOutput.ofModule();

    @Test
    void k3sNasIsTheNfsExportOfTheK3sInventory() {
        Path inventory = BUNDLE_DIR.resolve("../..").resolve(Topology.K3S_INVENTORY).normalize();
        Inventory.Nas nas = Topology.read(Topology.K3S, inventory).nas()
                .orElseThrow(() -> new AssertionError(inventory + " names no NAS export (storage.nas)"));

        KubeObject storageClass = output.object("k3s", "StorageClass", "nas");

        assertThat(storageClass.body().get("provisioner")).isEqualTo("nfs.csi.k8s.io");
        assertThat(KubeObject.path(storageClass.body(), "parameters")).as("server and share, as the inventory says")
                .containsOnly(Map.entry("server", nas.server()), Map.entry("share", nas.share()));
        assertThat(storageClass.body()).containsEntry("reclaimPolicy", "Retain");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theInventoryIsABuildTimeSourceOnly(String env) {
        assertThat(output.objects(env)).extracting(KubeObject::kind).as("local-config: kustomize drops it")
                .doesNotContain("Inventory");
    }

    @Test
    void k3dNasIsALocalPathStandIn() {
        KubeObject storageClass = output.object("k3d", "StorageClass", "nas");

        assertThat(storageClass.body().get("provisioner")).isEqualTo("rancher.io/local-path");
        assertThat(storageClass.body()).doesNotContainKey("parameters");
        assertThat(storageClass.annotations()).containsEntry("defaultVolumeType", "local");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void standardIsTheOnlyDefaultClassAndLocalPath(String env) {
        List<KubeObject> classes = output.objects(env, "StorageClass");

        assertThat(classes).extracting(KubeObject::name).containsExactlyInAnyOrder("standard", "nas");
        assertThat(classes).filteredOn(c -> "true".equals(c.annotations().get("storageclass.kubernetes.io/is-default-class")))
                .extracting(KubeObject::name).containsExactly("standard");
        KubeObject standard = output.object(env, "StorageClass", "standard");
        assertThat(standard.body()).containsEntry("provisioner", "rancher.io/local-path")
                .containsEntry("volumeBindingMode", "WaitForFirstConsumer");
        // local-path's own annotation (provisioner.go reads it from the class): local volumes, which Velero's
        // file-system backup copies; hostPath ones it skips (backup/velero README, "PVC data").
        assertThat(standard.annotations()).containsEntry("defaultVolumeType", "local");
    }

    /** The PVC component on sample claims: the label decides class and modes, per environment. */
    @ParameterizedTest
    @CsvSource({"k3d, standard, ReadWriteOnce", "k3s, nas, ReadWriteMany"})
    void thePvcComponentGivesLabelledClaimsTheirClassAndModes(String env, String sharedClass, String sharedMode)
            throws IOException {
        Path overlay = Files.createDirectories(BUNDLE_DIR.resolve("target/test-overlays/pvc-" + env));
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - claims.yaml
                components:
                  - ../../../components/pvc/%s
                """.formatted(env));
        Files.writeString(overlay.resolve("claims.yaml"), """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: app-config, labels: {storage.homestack.io/claim: config}}
                spec: {resources: {requests: {storage: 1Gi}}}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: library, labels: {storage.homestack.io/claim: shared}}
                spec: {resources: {requests: {storage: 100Gi}}}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: scratch}
                spec: {storageClassName: nas, accessModes: [ReadOnlyMany], resources: {requests: {storage: 1Gi}}}
                """);

        List<KubeObject> claims = Kustomize.locate().build("storage", BUNDLE_DIR, overlay,
                BUNDLE_DIR.resolve("target/test-overlays/work-" + env));

        assertThat(spec(claims, "app-config")).containsEntry("storageClassName", "standard")
                .containsEntry("accessModes", List.of("ReadWriteOnce"));
        assertThat(spec(claims, "library")).containsEntry("storageClassName", sharedClass)
                .containsEntry("accessModes", List.of(sharedMode));
        assertThat(spec(claims, "scratch")).as("a claim without the label is left alone")
                .containsEntry("storageClassName", "nas").containsEntry("accessModes", List.of("ReadOnlyMany"));
    }

    private static Map<String, Object> spec(List<KubeObject> objects, String name) {
        return KubeObject.path(objects.stream().filter(o -> name.equals(o.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no claim " + name)).body(), "spec");
    }
}
