package io.homestack.bundle.test.envtest;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which claims the envtest provisioner serves: only those a real provisioner would. */
class StaticVolumeProvisionerTest {

    @Test
    void provisionsThroughAnExistingProvisionableClass() {
        assertThat(StaticVolumeProvisioner.decline(claim("nas", false), storageClass("nas", "nfs.csi.k8s.io", "Immediate"))).isNull();
    }

    @Test
    void waitsForTheSchedulersNodeWithWaitForFirstConsumer() {
        StorageClass localPath = storageClass("local-path", "rancher.io/local-path", "WaitForFirstConsumer");
        assertThat(StaticVolumeProvisioner.decline(claim("local-path", false), localPath)).isEqualTo(StaticVolumeProvisioner.NOT_YET);
        assertThat(StaticVolumeProvisioner.decline(claim("local-path", true), localPath)).isNull();
    }

    @Test
    void declinesAMissingClassANoProvisionerClassAndNoClass() {
        assertThat(StaticVolumeProvisioner.decline(claim("nsa", true), null)).isEqualTo(
                "StorageClass \"nsa\" does not exist: no provisioner serves this claim");
        assertThat(StaticVolumeProvisioner.decline(claim("local", true), storageClass("local", "kubernetes.io/no-provisioner",
                "WaitForFirstConsumer"))).contains("has provisioner kubernetes.io/no-provisioner");
        assertThat(StaticVolumeProvisioner.decline(claim("", true), null)).contains("names no StorageClass");
        assertThat(StaticVolumeProvisioner.decline(claim(null, true), null)).contains("names no StorageClass");
    }

    /** local-path's rule (provisioner.go, v0.0.29+): the claim's annotation, else the class's, else hostPath. */
    @Test
    void localPathVolumesAreOfTheTypeTheAnnotationsAsk() {
        StorageClass plain = storageClass("standard", "rancher.io/local-path", "WaitForFirstConsumer");
        StorageClass local = storageClass("standard", "rancher.io/local-path", "WaitForFirstConsumer");
        local.getMetadata().setAnnotations(Map.of("defaultVolumeType", "local"));
        assertThat(StaticVolumeProvisioner.volumeType(claim("standard", true), plain)).isEqualTo("hostpath");
        assertThat(StaticVolumeProvisioner.volumeType(claim("standard", true), local)).isEqualTo("local");
        PersistentVolumeClaim asksHostPath = claim("standard", true);
        asksHostPath.getMetadata().getAnnotations().put("volumeType", "hostPath");
        assertThat(StaticVolumeProvisioner.volumeType(asksHostPath, local)).as("the claim wins").isEqualTo("hostpath");
        StorageClass nfs = storageClass("nas", "nfs.csi.k8s.io", "Immediate");
        nfs.getMetadata().setAnnotations(Map.of("defaultVolumeType", "local"));
        assertThat(StaticVolumeProvisioner.volumeType(claim("nas", false), nfs)).as("only local-path reads it")
                .isEqualTo("hostpath");
    }

    @Test
    void declinesAVolumeTypeLocalPathDoesNotKnowAndALocalVolumeWithoutNode() {
        StorageClass typo = storageClass("standard", "rancher.io/local-path", "WaitForFirstConsumer");
        typo.getMetadata().setAnnotations(Map.of("defaultVolumeType", "locale"));
        assertThat(StaticVolumeProvisioner.decline(claim("standard", true), typo))
                .contains("\"locale\" is not a recognised volume type").contains("StorageClass \"standard\"");
        StorageClass immediate = storageClass("fast", "rancher.io/local-path", "Immediate");
        immediate.getMetadata().setAnnotations(Map.of("defaultVolumeType", "local"));
        assertThat(StaticVolumeProvisioner.decline(claim("fast", false), immediate))
                .contains("WaitForFirstConsumer only");
    }

    static PersistentVolumeClaim claim(String storageClass, boolean scheduled) {
        var b = new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withNamespace("ns").endMetadata()
                .withNewSpec().withStorageClassName(storageClass).endSpec();
        if (scheduled) {
            b.editMetadata().addToAnnotations(StaticVolumeProvisioner.SELECTED_NODE, "node-1").endMetadata();
        }
        return b.build();
    }

    static StorageClass storageClass(String name, String provisioner, String mode) {
        return new StorageClassBuilder().withNewMetadata().withName(name).endMetadata().withProvisioner(provisioner)
                .withVolumeBindingMode(mode).build();
    }
}
