package io.homestack.apps.homeautomation;

import io.homestack.bundle.inventory.Inventory;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.ImageReference;
import io.homestack.bundle.render.RenderedBundle;
import io.homestack.bundle.validate.Validator;
import io.homestack.bundle.k8s.Yaml;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static io.homestack.apps.homeautomation.HomeAutomationRenders.container;
import static io.homestack.apps.homeautomation.HomeAutomationRenders.object;
import static io.homestack.apps.homeautomation.HomeAutomationRenders.objects;
import static io.homestack.apps.homeautomation.HomeAutomationRenders.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Zigbee2MQTT as the overlays render it: the real one only on k3s, with the USB coordinator of the k3s inventory
 * through the generic device plugin; on k3d none of it (the zigbee-simulator stands in).
 */
class Zigbee2mqttBundleTest {

    static final Inventory INVENTORY = Inventory.read(HomeAutomationRenders.RENDERS.bundleDir()
            .resolve("../../clusters/k3s/inventory.yaml"));

    @Test
    void k3dRunsNoRealZigbee2mqttAndNoDevicePlugin() {
        assertThat(objects("k3d")).as("k3d: the zigbee-simulator stands in for Zigbee2MQTT")
                .noneMatch(o -> o.name().startsWith("zigbee2mqtt") || o.name().startsWith("zigbee-device-plugin"))
                .noneMatch(o -> o.labels().containsKey("app.kubernetes.io/name")
                        && o.labels().get("app.kubernetes.io/name").toString().equals("zigbee2mqtt"));
        assertThat(PodSpecs.images(objects("k3d"))).noneMatch(i -> i.contains("zigbee2mqtt") || i.contains("device-plugin"));
    }

    @Test
    void onK3sItAsksForTheCoordinatorAndCanOnlyLandOnTheZigbeeNode() {
        Map<String, Object> pod = podSpec("k3s", "zigbee2mqtt");
        Map<String, Object> main = container(pod, "zigbee2mqtt");

        assertThat(KubeObject.path(main, "resources", "limits")).containsEntry("squat.ai/zigbee", "1");
        Map<String, Object> term = KubeObject.map(KubeObject.list(KubeObject.path(pod, "affinity", "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution").get("nodeSelectorTerms")).get(0));
        assertThat(KubeObject.list(term.get("matchExpressions"))).containsExactly(
                Map.of("key", "hardware/zigbee", "operator", "In", "values", List.of("true")));
        assertThat(INVENTORY.nodes()).as("the inventory's nodes that offer the coordinator")
                .filteredOn(n -> n.capacity().containsKey("squat.ai/zigbee"))
                .allSatisfy(n -> assertThat(n.labels()).containsEntry("hardware/zigbee", "true")).isNotEmpty();
    }

    @Test
    void theDevicePluginMountsTheInventorysCoordinatorWhereZigbee2mqttOpensIt() throws IOException {
        KubeObject plugin = object("k3s", "DaemonSet", "zigbee-device-plugin");
        Map<String, Object> pod = PodSpecs.of(plugin);
        List<Object> args = KubeObject.list(PodSpecs.containers(pod).get(0).get("args"));
        Map<String, Object> device = Yaml.readMap(args.get(args.indexOf("--device") + 1).toString(), "--device");
        Map<String, Object> path = KubeObject.map(KubeObject.list(KubeObject.map(KubeObject.list(device.get("groups"))
                .get(0)).get("paths")).get(0));
        Inventory.Zigbee coordinator = INVENTORY.zigbee().orElseThrow();

        assertThat(plugin.namespace()).as("privileged: outside the Pod Security of home-automation").isEqualTo("kube-system");
        assertThat(device.get("name")).as("squat.ai/<name> is the resource").isEqualTo("zigbee");
        assertThat(path).containsEntry("path", coordinator.device()).containsEntry("mountPath", "/dev/zigbee");
        assertThat(KubeObject.path(pod, "nodeSelector")).containsEntry("hardware/zigbee", "true");
        String configuration = Files.readString(HomeAutomationRenders.RENDERS.bundleDir()
                .resolve(ZigbeeConfigTest.CONFIGURATION));
        assertThat(KubeObject.path(Yaml.readMap(configuration, ZigbeeConfigTest.CONFIGURATION), "serial"))
                .containsEntry("port", path.get("mountPath"));
        assertThat(ZigbeeSettings.environment(container(podSpec("k3s", "zigbee2mqtt"), "zigbee2mqtt"),
                ZigbeeConfigTest.SECRETS)).containsEntry("ZIGBEE2MQTT_CONFIG_SERIAL_ADAPTER", coordinator.adapter());
    }

    @Test
    void theImageIsTheZigbee2mqttWhoseSchemaTheConfigurationIsValidatedAgainst() throws IOException {
        String image = KubeObject.string(container(podSpec("k3s", "zigbee2mqtt"), "zigbee2mqtt").get("image"));
        Map<String, Object> engines = Yaml.readMap(Files.readString(HomeAutomationEngines.ENGINES
                .resolve("package.json")), "package.json");

        assertThat(ImageReference.problem(image)).isNull();
        assertThat(image).isEqualTo("docker.io/koenkk/zigbee2mqtt:" + KubeObject.path(engines, "dependencies")
                .get("zigbee2mqtt"));
        assertThat(PodSpecs.images(List.of(object("k3s", "Deployment", "zigbee2mqtt")))).as("init container too")
                .containsOnly(image);
    }

    @Test
    void theFrontendIsOnTheGatewayAsZigbeeAndTheDataOnAConfigClaim() {
        Map<String, Object> vs = KubeObject.path(object("k3s", "VirtualService", "zigbee2mqtt").body(), "spec");
        assertThat(KubeObject.list(vs.get("hosts"))).containsExactly("zigbee." + INVENTORY.domain().orElseThrow());
        assertThat(KubeObject.list(vs.get("gateways"))).containsExactly("istio-ingress/homestack-gateway");
        Map<String, Object> claim = KubeObject.path(object("k3s", "PersistentVolumeClaim", "zigbee2mqtt-data").body(),
                "spec");
        assertThat(claim.get("storageClassName")).isEqualTo("standard");
        assertThat(KubeObject.path(object("k3s", "Deployment", "zigbee2mqtt").body(), "spec", "strategy"))
                .containsEntry("type", "Recreate");
    }

    @Test
    void theK3sRenderPassesThePolicies() {
        List<KubeObject> k3s = objects("k3s");
        assertThat(new Validator().violations(new RenderedBundle(Bundle.load(HomeAutomationRenders.RENDERS.bundleDir()),
                Map.of("k3s", k3s)))).isEmpty();
    }
}
