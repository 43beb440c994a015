package io.homestack.apps.homeautomation;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleRenders;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event-to-metric bridge on k3d (manifests/k3d/event-bridge): the image this build made, pinned by digest and pulled
 * from the k3d registry; a pod restricted Pod Security admits, running as the image's user; the broker login of the
 * read-only user bridge mounted where its settings point; metrics scraped; one pod at a time.
 */
class EventBridgeTest {

    private static final BundleRenders RENDERS = BundleRenders.ofModule();
    private final K3dComponent component = new K3dComponent(RENDERS, "event-bridge");

    @Test
    void runsTheImageThisBuildMadeByDigestFromTheK3dRegistry() throws Exception {
        component.assertRunsTheImageThisBuildMadeByDigestFromTheK3dRegistry();
    }

    @Test
    void aRestrictedPodAsTheImagesUser() throws Exception {
        component.assertRestrictedAsTheImagesUserOnePodAtATime();
    }

    @Test
    void logsInAsTheReadOnlyUserBridgeFromItsSecret() throws Exception {
        Map<String, String> env = component.env();
        assertThat(env).containsEntry("MQTT_URL", "tcp://mosquitto.home-automation.svc:1883")
                .containsEntry("BASE_TOPIC", "zigbee2mqtt");
        assertThat(env.get("MQTT_USERNAME_FILE")).isEqualTo(component.mountPath("mqtt") + "/username");
        assertThat(env.get("MQTT_PASSWORD_FILE")).isEqualTo(component.mountPath("mqtt") + "/password");
        assertThat(component.volume("mqtt").get("secret")).isEqualTo(Map.of("secretName", "mqtt-bridge"));
        assertThat(RENDERS.object("k3d", "SealedSecret", "mqtt-bridge")).isNotNull();
        // The ACL section of that user: read only, Zigbee2MQTT's and Home Assistant's topics.
        String acl = Files.readString(RENDERS.bundleDir().resolve("manifests/base/mosquitto/acl"));
        Matcher section = Pattern.compile("(?m)^user bridge\n((?:topic .*\n)+)").matcher(acl);
        assertThat(section.find()).as("manifests/base/mosquitto/acl has a section for user bridge").isTrue();
        assertThat(section.group(1).lines()).containsExactly("topic read zigbee2mqtt/#", "topic read homeassistant/#");
    }

    @Test
    void prometheusScrapesTheMetricsPortInPlainText() {
        component.assertPrometheusScrapesTheMetricsPortInPlainText();
    }

    @Test
    void onK3dTheSimulatorHasAButtonThatPressesSoTheBridgeHasActionsToCount() {
        String interval = new K3dComponent(RENDERS, "zigbee-simulator").env().get("BUTTON_INTERVAL");
        assertThat(interval).as("the simulator's BUTTON_INTERVAL").isNotNull();
        assertThat(Integer.parseInt(interval)).isPositive();
        String devices = RENDERS.objects("k3d", "ConfigMap").stream()
                .filter(c -> c.name().startsWith("zigbee-simulator-devices-")).findFirst().map(c ->
                        KubeObject.string(KubeObject.map(c.body().get("data")).get("devices.yaml"))).orElseThrow();
        assertThat(devices).contains("type: button");
    }

    @Test
    void onlyK3dRunsTheBridge() {
        assertThat(RENDERS.objects("k3s", "Deployment")).extracting(KubeObject::name).doesNotContain("event-bridge");
    }
}
