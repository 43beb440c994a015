package io.homestack.bundle.test;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.homestack.bundle.test.internal.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Claims bind as on a real cluster: only through a StorageClass that exists and provisions, and with
 * WaitForFirstConsumer only once a pod using the claim is scheduled. A misspelled class fails the test, saying why.
 */
@HomestackCluster(topology = "k3d")
@RequiresCapability({Capability.VOLUMES, Capability.SCHEDULING})
class VolumesIT {

    @Test
    void aClaimOfTheK3sDefaultClassBindsOnceAPodUsingItIsScheduled(TestCluster cluster) {
        String ns = cluster.createNamespace("wffc");
        claim(cluster, ns, "data", "local-path");
        assertThatThrownBy(() -> assertThatCluster(cluster).within(Duration.ofSeconds(3)).hasPvcBound(ns, "data"))
                .as("WaitForFirstConsumer: no pod, no volume").hasMessageContaining("phase Pending");
        cluster.client().pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("user").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("example.invalid/app:1.0")
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount().endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim()
                .endVolume().endSpec().build()).create();
        assertThatCluster(cluster).hasPvcBound(ns, "data");
        String[] node = new String[1]; // the node the scheduler bound the pod to, read once it is set
        Await.until(Duration.ofSeconds(60), "pod " + ns + "/user to be bound to a node",
                () -> (node[0] = cluster.client().pods().inNamespace(ns).withName("user").get().getSpec().getNodeName()) != null,
                () -> "");
        assertThat(cluster.client().persistentVolumeClaims().inNamespace(ns).withName("data").get().getMetadata()
                .getAnnotations()).as("the scheduler chose the node").containsEntry("volume.kubernetes.io/selected-node", node[0]);
        assertThatCluster(cluster).hasPodRunningOn(ns, "user", node[0]);
    }

    /**
     * local-path's {@code defaultVolumeType: local} (platform/storage's classes): the volume is a {@code local} one
     * pinned to the pod's node, which the real scheduler and PV binder accept, and which Velero's file-system backup
     * copies (it skips hostPath volumes).
     */
    @Test
    void aLocalPathClassAskingForLocalVolumesGetsOnePinnedToThePodsNode(TestCluster cluster) {
        String ns = cluster.createNamespace("local");
        String name = ns + "-local";
        cluster.client().storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata()
                .withName(name).addToLabels("homestack.io/test", "true").addToAnnotations("defaultVolumeType", "local")
                .endMetadata().withProvisioner("rancher.io/local-path").withVolumeBindingMode("WaitForFirstConsumer")
                .build()).create();
        claim(cluster, ns, "data", name);
        cluster.client().pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("user").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("example.invalid/app:1.0")
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount().endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim()
                .endVolume().endSpec().build()).create();
        assertThatCluster(cluster).hasPvcBound(ns, "data");
        // The claim is bound before the scheduler binds the pod (WaitForFirstConsumer): wait for the pod's node.
        String node = scheduledNode(cluster, ns, "user");
        assertThatCluster(cluster).hasPodRunningOn(ns, "user", node);
        PersistentVolume volume = cluster.client().persistentVolumes().withName(cluster.client().persistentVolumeClaims()
                .inNamespace(ns).withName("data").get().getSpec().getVolumeName()).get();
        assertThat(volume.getSpec().getHostPath()).as("not hostPath, which Velero skips").isNull();
        assertThat(volume.getSpec().getLocal()).isNotNull();
        assertThat(volume.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0).getMatchExpressions()
                .get(0)).satisfies(e -> {
                    assertThat(e.getKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(e.getValues()).containsExactly(node);
                });
    }

    @Test
    void anImmediateClassBindsWithoutAConsumer(TestCluster cluster) {
        String ns = cluster.createNamespace("immediate");
        String name = ns + "-nfs";
        storageClass(cluster, name, "nfs.csi.k8s.io", "Immediate");
        claim(cluster, ns, "shared", name);
        assertThatCluster(cluster).hasPvcBound(ns, "shared");
    }

    @Test
    void aMisspelledClassStaysPendingAndTheFailureSaysWhy(TestCluster cluster) {
        String ns = cluster.createNamespace("typo");
        claim(cluster, ns, "data", "nsa");
        assertThatThrownBy(() -> assertThatCluster(cluster).within(Duration.ofSeconds(5)).hasPvcBound(ns, "data"))
                .hasMessageContaining("PersistentVolumeClaim " + ns + "/data to be Bound")
                .hasMessageContaining("phase Pending")
                .hasMessageContaining("StorageClass \"nsa\" does not exist");
    }

    @Test
    void aClassWithoutProvisionerNeverProvisions(TestCluster cluster) {
        String ns = cluster.createNamespace("static");
        String name = ns + "-static";
        storageClass(cluster, name, "kubernetes.io/no-provisioner", "Immediate");
        claim(cluster, ns, "data", name);
        assertThatThrownBy(() -> assertThatCluster(cluster).within(Duration.ofSeconds(5)).hasPvcBound(ns, "data"))
                .hasMessageContaining("has provisioner kubernetes.io/no-provisioner");
    }

    @Test
    void aClaimWaitingForItsClassBindsWhenTheClassArrives(TestCluster cluster) {
        String ns = cluster.createNamespace("late");
        String name = ns + "-late";
        claim(cluster, ns, "data", name);
        storageClass(cluster, name, "nfs.csi.k8s.io", "Immediate");
        assertThatCluster(cluster).hasPvcBound(ns, "data");
        assertThat(cluster.client().persistentVolumeClaims().inNamespace(ns).withName("data").get().getSpec().getVolumeName())
                .startsWith("pvc-");
    }

    static void claim(TestCluster cluster, String ns, String name, String storageClass) {
        cluster.client().persistentVolumeClaims().inNamespace(ns).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
    }

    static void storageClass(TestCluster cluster, String name, String provisioner, String bindingMode) {
        cluster.client().storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName(name)
                .addToLabels("homestack.io/test", "true").endMetadata()
                .withProvisioner(provisioner).withVolumeBindingMode(bindingMode).build()).create();
    }

    /** The pod's node once the scheduler has bound it (within 60 s); null fails. */
    private static String scheduledNode(TestCluster cluster, String ns, String pod) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String node = null;
        while (node == null && System.nanoTime() < deadline) {
            node = cluster.client().pods().inNamespace(ns).withName(pod).get().getSpec().getNodeName();
            if (node == null) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        assertThat(node).as("pod %s/%s is scheduled", ns, pod).isNotNull();
        return node;
    }
}
