package io.homestack.apps.homeautomation;

import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;

/**
 * The k3d bundle on the simulated k3d cluster: Home Assistant's pod starts with everything it references (the
 * hashed ConfigMap, the mqtt-homeassistant Secret the controller opens, the claim bound through `standard`).
 */
@HomestackCluster(topology = "k3d")
class HomeAssistantK3dIT {

    private static final String NAMESPACE = "home-automation";

    @Test
    void homeAssistantStartsWithItsClaimConfigMapAndMqttSecret(TestCluster cluster) {
        cluster.apply(BundleOutput.of(BundleMosquitto.renders().bundleDir().resolve("../../platform/storage/target/bundle")
                .normalize()), "k3d");
        cluster.apply(BundleOutput.ofModule(), "k3d");

        assertThatCluster(cluster).hasSecretUnsealed(NAMESPACE, "mqtt-homeassistant")
                .hasPvcBound(NAMESPACE, "home-assistant-config")
                .hasDeploymentAvailable(NAMESPACE, "home-assistant");
    }
}
