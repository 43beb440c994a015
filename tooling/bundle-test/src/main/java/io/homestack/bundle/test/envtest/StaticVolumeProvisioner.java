package io.homestack.bundle.test.envtest;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HostPathVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.LocalVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeNodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.homestack.bundle.test.internal.Transient;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * envtest has no volume provisioner (no kubelet, no local-path): this stands in for one by static provisioning, and
 * only where a real cluster would provision. For a Pending PersistentVolumeClaim without a volume whose StorageClass
 * <b>exists</b> and is <b>provisionable</b> (its provisioner is not {@value #NO_PROVISIONER}, which means
 * "administrators create the volumes"), it creates a hostPath PersistentVolume of the requested size, access modes,
 * volume mode and class, pre-bound to the claim ({@code claimRef}); the controller manager's PV binder then binds the
 * two as on a real cluster. With {@code volumeBindingMode: WaitForFirstConsumer} it waits, like a real provisioner,
 * until the scheduler has picked a node for a pod using the claim ({@value #SELECTED_NODE}). Any other claim stays
 * Pending with a Warning event saying why (a misspelled class fails the test). Nothing is written to the path.
 * For local-path's classes ({@value #LOCAL_PATH}) the volume's type follows local-path's own rule (v0.0.29+): the
 * claim's {@value #VOLUME_TYPE} annotation, else the class's {@value #DEFAULT_VOLUME_TYPE} annotation, else hostPath;
 * a {@code local} volume gets local-path's node affinity ({@value #HOSTNAME} of the selected node). The type decides
 * whether Velero's file-system backup copies the volume (it skips hostPath volumes), so it must be what the real
 * provisioner makes. Other provisioners get hostPath volumes.
 * Like k3s, the cluster has the {@value #K3S_DEFAULT_CLASS} class (default, WaitForFirstConsumer). Claims annotated
 * {@code homestack.io/test-provision: "false"} stay Pending. A volume has its class's reclaim policy (Delete when the
 * class says none) and is annotated as provisioned by the class's provisioner, as a real provisioner does; like one,
 * this deletes a Delete volume once its claim is gone (a Retain volume stays, Released). Velero's restore depends on
 * that policy: it re-provisions a claim whose Delete volume it has no data for.
 */
final class StaticVolumeProvisioner implements NativeController {

    static final String OPT_OUT = "homestack.io/test-provision";
    static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";
    static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    static final String K3S_DEFAULT_CLASS = "local-path";
    /** The answer of {@link #decline} for a claim that is fine but not due yet. */
    static final String NOT_YET = "";
    static final String PROVISIONED = "homestack.io/test-provisioned";
    static final String LOCAL_PATH = "rancher.io/local-path";
    static final String VOLUME_TYPE = "volumeType";
    static final String DEFAULT_VOLUME_TYPE = "defaultVolumeType";
    static final String HOSTNAME = "kubernetes.io/hostname";

    private KubernetesClient client;
    private SharedIndexInformer<PersistentVolumeClaim> claims;
    private SharedIndexInformer<StorageClass> classes;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "static volume provisioner";
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        StorageClass localPath = new StorageClassBuilder().withNewMetadata().withName(K3S_DEFAULT_CLASS)
                .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true").endMetadata()
                .withProvisioner(LOCAL_PATH).withReclaimPolicy("Delete")
                .withVolumeBindingMode("WaitForFirstConsumer").build();
        Transient.retry("creating StorageClass " + K3S_DEFAULT_CLASS, Duration.ofSeconds(120),
                () -> client.resource(localPath).serverSideApply());
        classes = client.storage().v1().storageClasses().inform(new Handler<>(c -> claims().forEach(this::provision),
                c -> { }), 30_000);
        claims = client.persistentVolumeClaims().inAnyNamespace().inform(new Handler<>(this::provision, this::release),
                30_000);
    }

    private Iterable<PersistentVolumeClaim> claims() {
        return claims == null ? java.util.List.of() : claims.getStore().list();
    }

    /**
     * Why the claim gets no volume, as the event says it; {@link #NOT_YET} when it will get one later (waiting for a
     * consumer); null when it gets one now.
     */
    static String decline(PersistentVolumeClaim claim, StorageClass storageClass) {
        String className = claim.getSpec().getStorageClassName();
        if (className == null || className.isEmpty()) {
            return "the claim names no StorageClass and the cluster has no default one: only a volume an administrator"
                    + " created can bind it";
        }
        if (storageClass == null) {
            return "StorageClass \"" + className + "\" does not exist: no provisioner serves this claim";
        }
        if (NO_PROVISIONER.equals(storageClass.getProvisioner())) {
            return "StorageClass \"" + className + "\" has provisioner " + NO_PROVISIONER
                    + ": volumes are created by an administrator, never provisioned";
        }
        if ("WaitForFirstConsumer".equals(storageClass.getVolumeBindingMode())
                && annotation(claim, SELECTED_NODE) == null) {
            return NOT_YET;
        }
        String type = volumeType(claim, storageClass);
        if (!"hostpath".equals(type) && !"local".equals(type)) {
            return "\"" + type + "\" is not a recognised volume type (local-path: local or hostPath; annotation "
                    + VOLUME_TYPE + " of the claim or " + DEFAULT_VOLUME_TYPE + " of StorageClass \"" + className + "\")";
        }
        if ("local".equals(type) && annotation(claim, SELECTED_NODE) == null) {
            return "a local volume needs the node its pod runs on, and StorageClass \"" + className
                    + "\" binds Immediate: local-path provisions with WaitForFirstConsumer only";
        }
        return null;
    }

    /**
     * The volume type local-path gives the claim, lower case ({@code hostpath} or {@code local}, or what an annotation
     * misspells); {@code hostpath} for every other provisioner.
     */
    static String volumeType(PersistentVolumeClaim claim, StorageClass storageClass) {
        if (!LOCAL_PATH.equals(storageClass.getProvisioner())) {
            return "hostpath";
        }
        String type = annotation(claim, VOLUME_TYPE);
        if (type == null && storageClass.getMetadata().getAnnotations() != null) {
            type = storageClass.getMetadata().getAnnotations().get(DEFAULT_VOLUME_TYPE);
        }
        return type == null ? "hostpath" : type.toLowerCase(java.util.Locale.ROOT);
    }

    private void provision(PersistentVolumeClaim claim) {
        if (claim.getSpec() == null || claim.getSpec().getVolumeName() != null && !claim.getSpec().getVolumeName().isEmpty()
                || claim.getStatus() != null && claim.getStatus().getPhase() != null
                && !"Pending".equals(claim.getStatus().getPhase())
                || "false".equals(annotation(claim, OPT_OUT))) {
            return;
        }
        Quantity size = claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests() == null
                ? null : claim.getSpec().getResources().getRequests().get("storage");
        String className = claim.getSpec().getStorageClassName();
        StorageClass storageClass = className == null || classes == null ? null : classes.getStore().getByKey(className);
        String declined = size == null ? "the claim requests no storage size" : decline(claim, storageClass);
        if (declined != null) {
            if (!declined.isEmpty() && warned.add(claim.getMetadata().getUid() + declined)) {
                warn(claim, declined);
            }
            return;
        }
        String name = "pvc-" + claim.getMetadata().getUid();
        String reclaim = storageClass.getReclaimPolicy() == null ? "Delete" : storageClass.getReclaimPolicy();
        PersistentVolume volume = new PersistentVolumeBuilder()
                .withNewMetadata().withName(name).addToLabels(PROVISIONED, "true")
                .addToAnnotations("pv.kubernetes.io/provisioned-by", storageClass.getProvisioner()).endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", size))
                .withAccessModes(claim.getSpec().getAccessModes())
                .withVolumeMode(claim.getSpec().getVolumeMode())
                .withStorageClassName(className)
                .withPersistentVolumeReclaimPolicy(reclaim)
                .withNewClaimRef().withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid()).withKind("PersistentVolumeClaim").withApiVersion("v1").endClaimRef()
                .endSpec().build();
        String path = "/var/lib/homestack-envtest/" + name;
        if ("local".equals(volumeType(claim, storageClass))) {
            volume.getSpec().setLocal(new LocalVolumeSourceBuilder().withPath(path).build());
            volume.getSpec().setNodeAffinity(new VolumeNodeAffinityBuilder().withNewRequired().addNewNodeSelectorTerm()
                    .addNewMatchExpression().withKey(HOSTNAME).withOperator("In")
                    .withValues(annotation(claim, SELECTED_NODE)).endMatchExpression().endNodeSelectorTerm().endRequired()
                    .build());
        } else {
            volume.getSpec().setHostPath(new HostPathVolumeSourceBuilder().withPath(path).build());
        }
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

    /** A Warning event on the claim, as the PV controller records one, so that a failing assertion shows it. */
    private void warn(PersistentVolumeClaim claim, String message) {
        String now = Instant.now().toString();
        try {
            client.v1().events().inNamespace(claim.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(claim.getMetadata().getName() + ".").endMetadata()
                    .withNewInvolvedObject().withApiVersion("v1").withKind("PersistentVolumeClaim")
                    .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                    .withUid(claim.getMetadata().getUid()).endInvolvedObject()
                    .withType("Warning").withReason("ProvisioningFailed").withMessage(message + " (homestack static provisioner)")
                    .withNewSource().withComponent("homestack-static-provisioner").endSource()
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).build()).create();
        } catch (KubernetesClientException e) {
            System.err.println("[homestack] static provisioner: claim " + claim.getMetadata().getNamespace() + "/"
                    + claim.getMetadata().getName() + " stays Pending: " + message);
        }
    }

    private static String annotation(PersistentVolumeClaim claim, String key) {
        return claim.getMetadata().getAnnotations() == null ? null : claim.getMetadata().getAnnotations().get(key);
    }

    /** A deleted claim's volume, when it is one of ours with reclaim policy Delete, is deleted, as its provisioner would. */
    private void release(PersistentVolumeClaim claim) {
        String name = "pvc-" + claim.getMetadata().getUid();
        PersistentVolume volume = client.persistentVolumes().withName(name).get();
        if (volume != null && volume.getMetadata().getLabels() != null
                && "true".equals(volume.getMetadata().getLabels().get(PROVISIONED))
                && "Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())) {
            client.persistentVolumes().withName(name).delete();
        }
    }

    @Override
    public void close() {
        for (SharedIndexInformer<?> informer : new SharedIndexInformer<?>[] {claims, classes}) {
            if (informer != null) {
                informer.close();
            }
        }
        claims = null;
        classes = null;
    }

    /** Calls back on add, update and resync, and on delete. */
    private record Handler<T>(java.util.function.Consumer<T> onChange, java.util.function.Consumer<T> onGone)
            implements ResourceEventHandler<T> {

        @Override
        public void onAdd(T obj) {
            onChange.accept(obj);
        }

        @Override
        public void onUpdate(T old, T obj) {
            onChange.accept(obj); // also on resync: what was declined is looked at again
        }

        @Override
        public void onDelete(T obj, boolean unknownFinalState) {
            onGone.accept(obj);
        }
    }
}
