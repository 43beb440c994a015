package io.homestack.bundle.test.envtest;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Map;

/**
 * envtest has no volume provisioner (no kubelet, no local-path): this stands in for one by static provisioning.
 * For every Pending PersistentVolumeClaim without a volume it creates a hostPath PersistentVolume of the requested
 * size, access modes, volume mode and storage class, pre-bound to the claim ({@code claimRef}); the
 * controller manager's PV binder then binds the two as it would on a real cluster, and pods using the claim schedule.
 * Nothing is ever written to the path. Claims annotated {@code homestack.io/test-provision: "false"} stay Pending.
 */
final class StaticVolumeProvisioner implements NativeController, ResourceEventHandler<PersistentVolumeClaim> {

    static final String OPT_OUT = "homestack.io/test-provision";

    private KubernetesClient client;
    private SharedIndexInformer<PersistentVolumeClaim> informer;

    @Override
    public String name() {
        return "static volume provisioner";
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        informer = client.persistentVolumeClaims().inAnyNamespace().inform(this, 30_000);
    }

    @Override
    public void onAdd(PersistentVolumeClaim claim) {
        provision(claim);
    }

    @Override
    public void onUpdate(PersistentVolumeClaim old, PersistentVolumeClaim claim) {
        provision(claim);
    }

    @Override
    public void onDelete(PersistentVolumeClaim claim, boolean unknownFinalState) {
        // volumes have reclaim policy Retain: left Released, like statically provisioned volumes are
    }

    private void provision(PersistentVolumeClaim claim) {
        if (claim.getSpec() == null || claim.getSpec().getVolumeName() != null && !claim.getSpec().getVolumeName().isEmpty()
                || claim.getStatus() != null && !"Pending".equals(claim.getStatus().getPhase())
                && claim.getStatus().getPhase() != null
                || "false".equals(claim.getMetadata().getAnnotations() == null ? null
                : claim.getMetadata().getAnnotations().get(OPT_OUT))) {
            return;
        }
        Quantity size = claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests() == null
                ? null : claim.getSpec().getResources().getRequests().get("storage");
        if (size == null) {
            return;
        }
        String name = "pvc-" + claim.getMetadata().getUid();
        PersistentVolume volume = new PersistentVolumeBuilder()
                .withNewMetadata().withName(name).addToLabels("homestack.io/test-provisioned", "true").endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", size))
                .withAccessModes(claim.getSpec().getAccessModes())
                .withVolumeMode(claim.getSpec().getVolumeMode())
                .withStorageClassName(claim.getSpec().getStorageClassName() == null ? "" : claim.getSpec().getStorageClassName())
                .withPersistentVolumeReclaimPolicy("Retain")
                .withNewClaimRef().withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid()).withKind("PersistentVolumeClaim").withApiVersion("v1").endClaimRef()
                .withNewHostPath().withPath("/var/lib/homestack-envtest/" + name).endHostPath()
                .endSpec().build();
        try {
            if (client.persistentVolumes().withName(name).get() == null) {
                client.persistentVolumes().resource(volume).create();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                System.err.println("[homestack] static provisioner: cannot create " + name + " for claim "
                        + claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName() + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }
}
