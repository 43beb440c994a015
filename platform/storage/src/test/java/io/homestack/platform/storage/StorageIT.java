package io.homestack.platform.storage;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage bundle against a real API server, each environment on its own simulated cluster: a StorageClass's
 * provisioner and parameters are immutable, so k3d's `nas` cannot become k3s's in one cluster.
 */
@HomestackCluster(topology = "k3d")
class StorageIT {

    @Test
    void theApiServerAcceptsTheK3dRender(TestCluster cluster) {
        appliesWithClasses(cluster, "k3d", "rancher.io/local-path");
    }

    static void appliesWithClasses(TestCluster cluster, String env, String nasProvisioner) {
        List<HasMetadata> applied = cluster.apply(BundleOutput.ofModule(), env);

        assertThat(applied).extracting(HasMetadata::getKind).contains("StorageClass");
        StorageClass nas = cluster.client().storage().v1().storageClasses().withName("nas").get();
        assertThat(nas.getProvisioner()).isEqualTo(nasProvisioner);
        StorageClass standard = cluster.client().storage().v1().storageClasses().withName("standard").get();
        assertThat(standard.getMetadata().getAnnotations())
                .containsEntry("storageclass.kubernetes.io/is-default-class", "true");
    }
}
