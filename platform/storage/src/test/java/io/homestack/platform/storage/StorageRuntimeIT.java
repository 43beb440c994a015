package io.homestack.platform.storage;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only a cluster whose pods run shows about `standard`: a claim is provisioned dynamically (local-path) and Bound,
 * and a pod can write to the volume and read back what it wrote. k3s (testcontainers) or a kubeconfig cluster;
 * skipped on envtest, which binds claims with its own static volumes and runs no containers.
 */
@HomestackCluster
@RequiresCapability(Capability.RUNNING_PODS)
class StorageRuntimeIT {

    /** A shell in a small pinned image (Alpine with curl); the istio and ingress runtime checks use the same one. */
    static final String IMAGE = "docker.io/curlimages/curl:8.14.1";
    /** Long enough for a first image pull on a fresh cluster. */
    private static final Duration PODS = Duration.ofMinutes(3);

    private TestCluster cluster;
    private final List<String> namespaces = new ArrayList<>();
    private final List<HasMetadata> applied = new ArrayList<>();

    @Test
    void aClaimOnStandardIsProvisionedBoundAndWritable() {
        KubernetesClient client = cluster.client();
        if (client.storage().v1().storageClasses().withName("standard").get() == null) {
            // The kit's k3s container is a bare k3s: give it this bundle's classes (k3d's: local-path, like k3s ships).
            applied.addAll(cluster.apply(BundleOutput.ofModule(), "k3d"));
        }
        StorageClass standard = client.storage().v1().storageClasses().withName("standard").get();
        String namespace = namespace("storage-runtime");
        String token = namespace + "-" + System.nanoTime();

        client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withStorageClassName("standard").withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("64Mi")).endResources()
                .endSpec().build()).create();
        client.pods().inNamespace(namespace).resource(writer(token)).create();

        assertThatCluster(cluster).within(PODS)
                .hasPvcBound(namespace, "data")
                .hasPodLogLine(namespace, "writer", "read back: " + token);
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName("data").get();
        PersistentVolume volume = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
        assertThat(volume.getSpec().getStorageClassName()).isEqualTo("standard");
        assertThat(volume.getMetadata().getAnnotations()).as("provisioned for this claim by the class's provisioner")
                .containsEntry("pv.kubernetes.io/provisioned-by", standard.getProvisioner());
        assertThat(volume.getSpec().getLocal()).as("a local volume (defaultVolumeType), which Velero can back up")
                .isNotNull();
        assertThat(volume.getSpec().getHostPath()).isNull();
    }

    /** Writes a token into the volume, syncs, and prints what it reads back from there. */
    private static Pod writer(String token) {
        return new PodBuilder()
                .withNewMetadata().withName("writer").endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65532L).withRunAsGroup(65532L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("writer").withImage(IMAGE)
                .withCommand("sh", "-c", "set -e; echo \"$TOKEN\" > /data/check.txt; sync; echo \"read back: $(cat /data/check.txt)\"")
                .addNewEnv().withName("TOKEN").withValue(token).endEnv()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .withNewResources().addToRequests("cpu", new Quantity("10m")).addToRequests("memory", new Quantity("16Mi"))
                .addToLimits("memory", new Quantity("64Mi")).endResources()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim()
                .endVolume()
                .endSpec().build();
    }

    private String namespace(String prefix) {
        String namespace = cluster.createNamespace(prefix);
        namespaces.add(namespace);
        return namespace;
    }

    /** Deletes the test's namespace (claim, pod, and with the claim the volume) and the classes it applied, if any. */
    @AfterEach
    void cleanUp() {
        for (String namespace : namespaces) {
            cluster.client().namespaces().withName(namespace).delete();
        }
        if (!applied.isEmpty()) {
            // The provisioner deletes the volume once the claim is gone; remove the classes after that.
            for (String namespace : namespaces) {
                cluster.client().namespaces().withName(namespace).waitUntilCondition(Objects::isNull, 2, TimeUnit.MINUTES);
            }
            applied.forEach(object -> cluster.client().resource(object).delete());
        }
    }
}
