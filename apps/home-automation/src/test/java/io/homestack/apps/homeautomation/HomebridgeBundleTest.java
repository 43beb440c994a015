package io.homestack.apps.homeautomation;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.ImageReference;
import io.homestack.bundle.seal.Unsealer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.homestack.apps.homeautomation.HomeAutomationRenders.container;
import static io.homestack.apps.homeautomation.HomeAutomationRenders.object;
import static io.homestack.apps.homeautomation.HomeAutomationRenders.objects;
import static io.homestack.apps.homeautomation.HomeAutomationRenders.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

/** Homebridge as the overlays render it: config.json as code, the setup code sealed, the host network on k3s only. */
class HomebridgeBundleTest {

    static final String PIN_PLACEHOLDER = "@BRIDGE_PIN@";

    /** The k3d setup code, opened with the committed k3d key as the controller would. */
    static String k3dPin() {
        Unsealer k3d = Unsealer.load(HomeAutomationRenders.RENDERS.bundleDir()
                .resolve("../../clusters/k3d/sealed-secrets/sealed-secrets-k3d.key").normalize());
        return k3d.unseal(object("k3d", "SealedSecret", "homebridge-bridge").body(), "sealedsecret-homebridge-bridge.yaml")
                .stringValue("pin");
    }

    static Map<String, Object> configTemplate(String env) {
        KubeObject config = HomeAutomationRenders.configMapOfVolume(env, podSpec(env, "homebridge"), "config");
        return Yaml.readMap(KubeObject.string(KubeObject.path(config.body(), "data").get("config.json")), "config.json");
    }

    @Test
    void k3dShipsTheSetupCodeSealedAndItOpensToAHomeKitCode() {
        assertThat(KubeObject.path(object("k3d", "SealedSecret", "homebridge-bridge").body(), "spec", "encryptedData"))
                .containsOnlyKeys("pin");
        assertThat(k3dPin()).matches("\\d{3}-\\d{2}-\\d{3}");
        assertThat(secretRef(container(podSpec("k3d", "homebridge"), "config"), "HOMEBRIDGE_PIN"))
                .isEqualTo("homebridge-bridge/pin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void configJsonIsTheRepositorysWithOnlyTheSetupCodeLeftToFillIn(String env) {
        Map<String, Object> config = configTemplate(env);
        Map<String, Object> bridge = KubeObject.path(config, "bridge");
        Map<String, Object> pod = podSpec(env, "homebridge");

        assertThat(bridge.get("pin")).isEqualTo(PIN_PLACEHOLDER);
        assertThat(bridge.get("username").toString()).matches("([0-9A-F]{2}:){5}[0-9A-F]{2}");
        assertThat(bridge.get("advertiser")).isEqualTo("ciao");
        assertThat(containerPort(container(pod, "homebridge"), "tcp-hap")).isEqualTo(bridge.get("port"));
        Map<String, Object> ui = KubeObject.list(config.get("platforms")).stream().map(KubeObject::map)
                .filter(p -> "config".equals(p.get("platform"))).findFirst().orElseThrow();
        assertThat(containerPort(container(pod, "homebridge"), "http")).as("the UI's port is what the Service routes to")
                .isEqualTo(ui.get("port"));
        assertThat(KubeObject.path(object(env, "Deployment", "homebridge").body(), "spec", "strategy"))
                .containsEntry("type", "Recreate");
        assertThat(KubeObject.list(KubeObject.path(object(env, "VirtualService", "homebridge").body(), "spec")
                .get("gateways"))).containsExactly("istio-ingress/homestack-gateway");
    }

    @Test
    void onlyK3sPutsHomebridgeOnTheHostNetworkOfTheZigbeeNodeAndOnlyThereItsOwnNamespaceAllowsIt() {
        Map<String, Object> k3s = podSpec("k3s", "homebridge");
        assertThat(k3s).containsEntry("hostNetwork", true).containsEntry("dnsPolicy", "ClusterFirstWithHostNet");
        Map<String, Object> term = KubeObject.map(KubeObject.list(KubeObject.path(k3s, "affinity", "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution").get("nodeSelectorTerms")).get(0));
        assertThat(KubeObject.list(term.get("matchExpressions"))).containsExactly(
                Map.of("key", "hardware/zigbee", "operator", "In", "values", List.of("true")));
        assertThat(object("k3s", "Deployment", "homebridge").namespace()).isEqualTo("homebridge");
        assertThat(object("k3s", "Namespace", "homebridge").labels())
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted")
                .containsEntry("pod-security.kubernetes.io/audit", "restricted");
        assertThat(object("k3s", "Namespace", "home-automation").labels()).as("the broker's and HA's namespace")
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline");

        assertThat(podSpec("k3d", "homebridge")).doesNotContainKey("hostNetwork");
        for (String namespace : List.of("home-automation", "homebridge")) {
            assertThat(object("k3d", "Namespace", namespace).labels())
                    .containsEntry("pod-security.kubernetes.io/enforce", "baseline");
        }
    }

    /** Where Pod Security enforces `privileged`, Homebridge is the only workload: the relaxation covers nothing else. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void aNamespaceThatEnforcesPrivilegedHoldsHomebridgeAlone(String env) {
        List<String> relaxed = objects(env).stream().filter(o -> "Namespace".equals(o.kind()))
                .filter(o -> "privileged".equals(o.labels().get("pod-security.kubernetes.io/enforce")))
                .map(KubeObject::name).toList();
        assertThat(relaxed).isSubsetOf("homebridge");
        assertThat(objects(env).stream().filter(o -> relaxed.contains(o.namespace())).filter(o -> PodSpecs.of(o) != null))
                .extracting(KubeObject::name).allMatch("homebridge"::equals);
    }

    /** The relaxed namespace must not become a door: host network for Homebridge only, and nothing privileged. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void homebridgeIsTheOnlyHostNetworkPodAndNoPodOfTheBundleIsPrivileged(String env) {
        List<KubeObject> workloads = objects(env).stream()
                .filter(o -> "home-automation".equals(o.namespace()) || "homebridge".equals(o.namespace()))
                .filter(o -> PodSpecs.of(o) != null).toList();
        assertThat(workloads).isNotEmpty();
        assertThat(workloads).filteredOn(o -> Boolean.TRUE.equals(PodSpecs.of(o).get("hostNetwork")))
                .extracting(KubeObject::name).isSubsetOf("homebridge");
        for (KubeObject o : workloads) {
            Map<String, Object> pod = PodSpecs.of(o);
            assertThat(pod).as(o.describe()).doesNotContainKeys("hostPID", "hostIPC");
            assertThat(KubeObject.list(pod.get("volumes"))).as(o.describe())
                    .noneMatch(v -> KubeObject.map(v).containsKey("hostPath"));
            assertThat(PodSpecs.allContainers(pod)).as(o.describe()).noneMatch(c -> Boolean.TRUE.equals(
                    KubeObject.path(c, "securityContext").get("privileged")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theImageIsPinnedToADatedRelease(String env) {
        List<String> images = PodSpecs.images(List.of(object(env, "Deployment", "homebridge")));
        assertThat(images).containsOnly("docker.io/homebridge/homebridge:2026-07-31");
        images.forEach(i -> assertThat(ImageReference.problem(i)).isNull());
    }

    static Object containerPort(Map<String, Object> container, String name) {
        return KubeObject.list(container.get("ports")).stream().map(KubeObject::map).filter(p -> name.equals(p.get("name")))
                .map(p -> p.get("containerPort")).findFirst().orElseThrow(() -> new AssertionError("no port " + name));
    }

    static String secretRef(Map<String, Object> container, String variable) {
        return KubeObject.list(container.get("env")).stream().map(KubeObject::map).filter(e -> variable.equals(e.get("name")))
                .map(e -> KubeObject.path(e, "valueFrom", "secretKeyRef")).map(r -> r.get("name") + "/" + r.get("key"))
                .findFirst().orElseThrow(() -> new AssertionError("no variable " + variable));
    }
}
