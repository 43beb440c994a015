package io.homestack.apps.homeautomation;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleRenders;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Zigbee2MQTT simulator on k3d (manifests/k3d/zigbee-simulator): the image this build made, pinned by digest and
 * pulled from the k3d registry; a pod restricted Pod Security admits, running as the image's user; soft affinity to the
 * simulated Zigbee node; the broker's Secret and the devices file mounted where the settings point; metrics scraped.
 */
class ZigbeeSimulatorTest {

    private static final BundleRenders RENDERS = BundleRenders.ofModule();
    private final K3dComponent component = new K3dComponent(RENDERS, "zigbee-simulator");
    private final Map<String, Object> pod = component.pod;

    @Test
    void runsTheImageThisBuildMadeByDigestFromTheK3dRegistry() throws Exception {
        component.assertRunsTheImageThisBuildMadeByDigestFromTheK3dRegistry();
    }

    @Test
    void aRestrictedPodAsTheImagesUser() throws Exception {
        component.assertRestrictedAsTheImagesUserOnePodAtATime();
    }

    @Test
    void prefersTheSimulatedZigbeeNodeSoftly() {
        Map<String, Object> affinity = KubeObject.path(pod, "affinity", "nodeAffinity");
        assertThat(affinity).containsOnlyKeys("preferredDuringSchedulingIgnoredDuringExecution");
        Map<String, Object> term = KubeObject.map(KubeObject.list(
                affinity.get("preferredDuringSchedulingIgnoredDuringExecution")).get(0));
        Map<String, Object> expression = KubeObject.map(KubeObject.list(
                KubeObject.path(term, "preference").get("matchExpressions")).get(0));
        assertThat(expression).containsEntry("key", "hardware/zigbee").containsEntry("operator", "Exists");
    }

    @Test
    void readsTheBrokerSecretAndTheDevicesFileWhereItsSettingsPoint() {
        Map<String, String> env = component.env();
        assertThat(env).containsEntry("MQTT_URL", "tcp://mosquitto.home-automation.svc:1883");
        assertThat(env.get("MQTT_USERNAME_FILE")).isEqualTo(component.mountPath("mqtt") + "/username");
        assertThat(env.get("MQTT_PASSWORD_FILE")).isEqualTo(component.mountPath("mqtt") + "/password");
        assertThat(component.volume("mqtt").get("secret")).isEqualTo(Map.of("secretName", "mqtt-zigbee2mqtt"));
        assertThat(env.get("DEVICES_FILE")).isEqualTo(component.mountPath("devices") + "/devices.yaml");
        String configMap = KubeObject.string(KubeObject.path(component.volume("devices"), "configMap").get("name"));
        assertThat(configMap).startsWith("zigbee-simulator-devices-");
        assertThat(KubeObject.map(RENDERS.object("k3d", "ConfigMap", configMap).body().get("data")))
                .containsKey("devices.yaml");
    }

    @Test
    void prometheusScrapesTheMetricsPortInPlainText() {
        component.assertPrometheusScrapesTheMetricsPortInPlainText();
    }

    @Test
    void onlyK3dRunsTheSimulator() {
        assertThat(RENDERS.objects("k3s", "Deployment")).extracting(KubeObject::name).doesNotContain("zigbee-simulator");
    }
}
