package io.homestack.platform.storage;

import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

/** The k3s render on the simulated home cluster: `nas` is the NFS CSI driver's. */
@HomestackCluster(topology = "k3s")
class StorageK3sIT {

    @Test
    void theApiServerAcceptsTheK3sRender(TestCluster cluster) {
        StorageIT.appliesWithClasses(cluster, "k3s", "nfs.csi.k8s.io");
    }
}
