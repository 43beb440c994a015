package io.homestack.apps.media;

import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

/** The k3d bundle, its SealedSecrets opened by the real controller, on the simulated k3d cluster (1 server + 2 agents). */
@HomestackCluster(topology = "k3d")
class MediaK3dIT {

    @Test
    void everyAppLandsAndMountsItsConfigDownloadsAndLibrary(TestCluster cluster) {
        MediaPlacement.appliesAndRunsWithSharedVolumes(cluster);
    }
}
