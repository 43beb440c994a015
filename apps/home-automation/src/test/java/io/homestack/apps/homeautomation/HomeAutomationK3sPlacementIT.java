package io.homestack.apps.homeautomation;

import io.fabric8.kubernetes.api.model.Pod;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.Topology;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.homestack.apps.homeautomation.HomeAutomationRenders.HOMEBRIDGE_NAMESPACE;
import static io.homestack.apps.homeautomation.HomeAutomationRenders.NAMESPACE;
import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3s overlay (not shipped yet: its Secrets are sealed for the home cluster by the operator) on the simulated home
 * cluster of clusters/k3s/inventory.yaml, with test-made Secrets standing in: Zigbee2MQTT is given the coordinator the
 * device plugin advertises on the hardware/zigbee node and runs there; the device plugin runs on that node only;
 * Homebridge runs on the host network of the same node, which its own namespace's Pod Security admits; Home Assistant
 * runs on the hardware/usb node (the same machine in today's inventory).
 */
@HomestackCluster(topology = "k3s")
class HomeAutomationK3sPlacementIT {

    @Test
    void zigbee2mqttHomebridgeAndHomeAssistantLandOnTheirHardwareNodes(TestCluster cluster) {
        HomeAutomationRenders.applyStorage(cluster, "k3s");
        List<KubeObject> objects = new ArrayList<>(HomeAutomationRenders.objects("k3s"));
        // Each namespace's referenced Secrets (home-automation's and Homebridge's own).
        for (String namespace : List.of(NAMESPACE, HOMEBRIDGE_NAMESPACE)) {
            PodSpecs.secretKeysReferenced(objects.stream().filter(o -> namespace.equals(o.namespace())).toList())
                    .forEach((name, keys) -> {
                        Map<String, Object> data = new LinkedHashMap<>();
                        keys.forEach(key -> data.put(key, standIn(name, key)));
                        objects.add(new KubeObject(new LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "Secret",
                                "metadata", new LinkedHashMap<>(Map.of("name", name, "namespace", namespace)),
                                "stringData", data)), "test stand-in for the operator's sealedsecret-" + name + ".yaml"));
                    });
        }
        cluster.apply("home-automation", objects);

        List<String> zigbeeNodes = Topology.named("k3s", HomeAutomationRenders.RENDERS.bundleDir().resolve("../.."))
                .nodesLabelled("hardware/zigbee", "true");
        assertThat(zigbeeNodes).hasSize(1);
        String node = zigbeeNodes.get(0);
        for (String app : List.of("zigbee2mqtt", "homebridge")) {
            String namespace = "homebridge".equals(app) ? HOMEBRIDGE_NAMESPACE : NAMESPACE;
            // Placement first: a pod the scheduler cannot place fails here with the scheduler's reason.
            assertThatCluster(cluster).hasPodRunningOn(namespace, pod(cluster, namespace, app).getMetadata().getName(), node);
            assertThatCluster(cluster).hasPvcBound(namespace, app + "-data").hasDeploymentAvailable(namespace, app);
        }
        List<String> usbNodes = Topology.named("k3s", HomeAutomationRenders.RENDERS.bundleDir().resolve("../.."))
                .nodesLabelled("hardware/usb", "true");
        assertThat(usbNodes).hasSize(1);
        assertThatCluster(cluster).hasPodRunningOn(NAMESPACE,
                pod(cluster, NAMESPACE, "home-assistant").getMetadata().getName(), usbNodes.get(0));
        assertThatCluster(cluster).hasDeploymentAvailable(NAMESPACE, "home-assistant");
        Pod zigbee2mqtt = pod(cluster, NAMESPACE, "zigbee2mqtt");
        assertThat(zigbee2mqtt.getSpec().getContainers().get(0).getResources().getLimits())
                .as("the coordinator, allocated from the node's squat.ai/zigbee").containsKey("squat.ai/zigbee");
        assertThat(pod(cluster, HOMEBRIDGE_NAMESPACE, "homebridge").getSpec().getHostNetwork())
                .as("admitted by its namespace's Pod Security").isTrue();

        List<Pod> plugins = cluster.client().pods().inNamespace("kube-system")
                .withLabel("app.kubernetes.io/name", "zigbee-device-plugin").list().getItems();
        assertThat(plugins).as("the device plugin, on the zigbee node only").singleElement()
                .satisfies(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(node));
    }

    /** The app's pod, once its ReplicaSet has created it (30 s). */
    private static Pod pod(TestCluster cluster, String namespace, String app) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<Pod> pods = cluster.client().pods().inNamespace(namespace).withLabel("app.kubernetes.io/name", app)
                    .list().getItems();
            if (!pods.isEmpty()) {
                return pods.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no pod of " + app + " in " + namespace + " after 30 s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** What a value of the format the operator seals looks like: the network key is a JSON array of 16 bytes. */
    private static String standIn(String secret, String key) {
        return "network_key".equals(key) ? "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]"
                : "pin".equals(key) ? "031-45-154" : "stand-in-for-" + secret + "-" + key;
    }
}
