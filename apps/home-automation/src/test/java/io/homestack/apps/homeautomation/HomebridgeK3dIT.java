package io.homestack.apps.homeautomation;

import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static io.homestack.apps.homeautomation.HomeAutomationRenders.HOMEBRIDGE_NAMESPACE;
import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3d bundle as built on the simulated k3d cluster: the real sealed-secrets controller opens Homebridge's setup
 * code in Homebridge's own namespace, and Homebridge (pod network, no host network on k3d) becomes available with its data claim bound.
 */
@HomestackCluster(topology = "k3d")
class HomebridgeK3dIT {

    @Test
    void theSetupCodeOpensAndHomebridgeRuns(TestCluster cluster) {
        HomeAutomationRenders.applyStorage(cluster, "k3d");
        cluster.apply(BundleOutput.ofModule(), "k3d");

        assertThatCluster(cluster).hasSecretUnsealed(HOMEBRIDGE_NAMESPACE, "homebridge-bridge");
        Map<String, String> data = cluster.client().secrets().inNamespace(HOMEBRIDGE_NAMESPACE).withName("homebridge-bridge").get()
                .getData();
        assertThat(data).containsOnlyKeys("pin");
        assertThat(new String(Base64.getDecoder().decode(data.get("pin")), StandardCharsets.UTF_8))
                .as("what the init container accepts").matches("\\d{3}-\\d{2}-\\d{3}");
        assertThatCluster(cluster).hasPvcBound(HOMEBRIDGE_NAMESPACE, "homebridge-data").hasDeploymentAvailable(HOMEBRIDGE_NAMESPACE, "homebridge");
    }
}
