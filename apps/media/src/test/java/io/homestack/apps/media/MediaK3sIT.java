package io.homestack.apps.media;

import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

/** The k3s overlay (not shipped yet: MediaRenders) on the simulated home cluster of clusters/k3s/inventory.yaml. */
@HomestackCluster(topology = "k3s")
class MediaK3sIT {

    @Test
    void everyAppLandsAndMountsItsConfigDownloadsAndLibrary(TestCluster cluster) {
        MediaPlacement.appliesK3sOverlayAndRunsWithSharedVolumes(cluster);
    }
}
