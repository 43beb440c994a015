package io.homestack.apps.homeautomation;

import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3d bundle on the simulated k3d cluster: the real sealed-secrets controller opens the broker's password file and
 * every client's login with the cluster's k3d key, and the broker's pod starts with all it references (the hashed
 * ConfigMap, the Secrets' keys, the claim); so does the event bridge's, with its login.
 */
@HomestackCluster(topology = "k3d")
class MosquittoK3dIT {

    private static final String NAMESPACE = "home-automation";

    @Test
    void theControllerOpensTheBrokersSecretsAndTheBrokerStarts(TestCluster cluster) {
        cluster.apply(BundleOutput.of(BundleMosquitto.renders().bundleDir().resolve("../../platform/storage/target/bundle")
                .normalize()), "k3d");
        cluster.apply(BundleOutput.ofModule(), "k3d");

        assertThatCluster(cluster).hasSecretUnsealed(NAMESPACE, BundleMosquitto.PASSWORDS);
        assertThat(data(cluster, NAMESPACE, BundleMosquitto.PASSWORDS)).as("the controller's password file is the one tested")
                .containsOnlyKeys("passwd").containsEntry("passwd", BundleMosquitto.passwordFile());
        for (String user : List.of("homeassistant", "zigbee2mqtt", "homebridge", "bridge", "exporter")) {
            // Homebridge's login lives in its own namespace, beside Homebridge.
            String namespace = "homebridge".equals(user) ? "homebridge" : NAMESPACE;
            assertThatCluster(cluster).hasSecretUnsealed(namespace, "mqtt-" + user);
            assertThat(data(cluster, namespace, "mqtt-" + user)).isEqualTo(Map.of("username", user,
                    "password", user + "-k3d-test-password"));
        }
        assertThatCluster(cluster).hasPvcBound(NAMESPACE, "mosquitto-data").hasDeploymentAvailable(NAMESPACE, "mosquitto");
        // The event bridge, the broker's read-only client: its pod starts with the Secret mqtt-bridge opened above.
        assertThatCluster(cluster).hasDeploymentAvailable(NAMESPACE, "event-bridge");
    }

    private static Map<String, String> data(TestCluster cluster, String namespace, String secret) {
        Map<String, String> data = new TreeMap<>();
        cluster.client().secrets().inNamespace(namespace).withName(secret).get().getData().forEach((k, v) ->
                data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return data;
    }
}
