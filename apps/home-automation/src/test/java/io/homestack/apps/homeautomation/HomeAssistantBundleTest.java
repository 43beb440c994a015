package io.homestack.apps.homeautomation;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.ImageReference;
import io.homestack.bundle.test.BundleRenders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Home Assistant's objects as rendered for both environments (k3d as built, k3s as its overlay renders). */
class HomeAssistantBundleTest {

    static final String APP = "home-assistant";
    static final String NAMESPACE = "home-automation";

    private final BundleRenders renders = BundleRenders.ofModule();

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void oneInstanceRecreatedOnItsOwnConfigClaim(String env) {
        Map<String, Object> spec = spec(renders.object(env, "Deployment", APP));
        assertThat(spec.get("replicas")).isEqualTo(1);
        assertThat(KubeObject.path(spec, "strategy")).containsEntry("type", "Recreate");

        Map<String, Object> pod = HomeAssistantRender.podSpec(renders, env);
        assertThat(HomeAssistantRender.volumeAt(pod, HomeAssistantRender.container(pod, APP), "/config"))
                .containsEntry("persistentVolumeClaim", Map.of("claimName", "home-assistant-config"));
        KubeObject claim = renders.object(env, "PersistentVolumeClaim", "home-assistant-config");
        assertThat(claim.labels()).containsEntry("storage.homestack.io/claim", "config");
        assertThat(spec(claim).get("storageClassName")).as("SQLite stays off NFS").isEqualTo("standard");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void bothContainersRunThePinnedImageAndMeetTheRestrictedLevel(String env) {
        Map<String, Object> pod = HomeAssistantRender.podSpec(renders, env);
        assertThat(KubeObject.path(pod, "securityContext")).containsEntry("runAsNonRoot", true)
                .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
        assertThat(PodSpecs.allContainers(pod)).hasSize(2).allSatisfy(c -> {
            String image = KubeObject.string(c.get("image"));
            assertThat(ImageReference.problem(image)).as(image).isNull();
            assertThat(image).as("the release of docs/decisions.md, 'Home Assistant versions'")
                    .matches("ghcr\\.io/home-assistant/home-assistant:\\d{4}\\.\\d{1,2}\\.\\d+");
            assertThat(KubeObject.path(c, "securityContext")).containsEntry("allowPrivilegeEscalation", false)
                    .containsEntry("readOnlyRootFilesystem", true)
                    .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        });
        assertThat(PodSpecs.allContainers(pod).stream().map(c -> c.get("image")).distinct())
                .as("init and HA: one image").hasSize(1);
    }

    /** The seeding init container is the only one that reads the MQTT password, from the contract's client Secret. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theInitContainerSeedsTheBrokerFromTheMqttHomeassistantSecret(String env) {
        Map<String, Object> pod = HomeAssistantRender.podSpec(renders, env);
        Map<String, Object> seed = HomeAssistantRender.seedContainer(pod);
        assertThat(KubeObject.list(seed.get("command"))).containsExactly("python3", "/seed/seed-config.py", "/config");
        assertThat(HomeAssistantRender.env(seed, "MQTT_BROKER")).isEqualTo(Map.of("value", "mosquitto.home-automation.svc"));
        assertThat(HomeAssistantRender.env(seed, "MQTT_PORT")).isEqualTo(Map.of("value", "1883"));
        assertThat(HomeAssistantRender.env(seed, "MQTT_USERNAME")).isEqualTo(secretRef("username"));
        assertThat(HomeAssistantRender.env(seed, "MQTT_PASSWORD")).isEqualTo(secretRef("password"));
        assertThat(KubeObject.list(HomeAssistantRender.container(pod, APP).get("env")).toString())
                .as("HA itself never sees the password").doesNotContain("mqtt-homeassistant");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void haReadsTheRenderedConfigurationFromTheConfigMapTheSeedScriptComesWith(String env) {
        Map<String, Object> pod = HomeAssistantRender.podSpec(renders, env);
        Map<String, Object> mount = HomeAssistantRender.mountAt(HomeAssistantRender.container(pod, APP),
                "/config/configuration.yaml");
        assertThat(mount).containsEntry("subPath", "configuration.yaml").containsEntry("readOnly", true);
        String configMap = KubeObject.string(KubeObject.path(HomeAssistantRender.volumeAt(pod,
                HomeAssistantRender.container(pod, APP), "/config/configuration.yaml"), "configMap").get("name"));
        assertThat(configMap).as("generated with a content hash: a change rolls the pod").startsWith("home-assistant-config-");
        assertThat(KubeObject.path(HomeAssistantRender.volumeAt(pod, HomeAssistantRender.seedContainer(pod), "/seed"),
                "configMap")).containsEntry("name", configMap);
        assertThat(KubeObject.path(renders.object(env, "ConfigMap", configMap).body(), "data"))
                .containsOnlyKeys("configuration.yaml", "seed-config.py");
    }

    /**
     * The settings the cluster depends on; HomeAssistantIT proves HA accepts the file. HA's own tags (!include) are
     * read as plain strings here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theConfigurationTrustsTheSidecarHopServesMetricsAndLeavesMqttToTheConfigEntry(String env) {
        Map<String, Object> config = Yaml.readMap(HomeAssistantRender.configuration(renders, env), "configuration.yaml");

        Map<String, Object> http = KubeObject.path(config, "http");
        assertThat(http).containsEntry("server_port", 8123).containsEntry("use_x_forwarded_for", true);
        assertThat(KubeObject.list(http.get("trusted_proxies"))).as("Istio's inbound passthrough source")
                .containsExactly("127.0.0.6", "::6");
        assertThat(KubeObject.path(config, "prometheus")).containsEntry("requires_auth", false);
        assertThat(config).as("no default_config (discovery a pod cannot do); MQTT is a config entry")
                .doesNotContainKeys("default_config", "mqtt");
        assertThat(servicePort(env).get("port")).isEqualTo(http.get("server_port"));
    }

    @ParameterizedTest
    @CsvSource({"k3d, home.homestack.localhost", "k3s, home.home.example.net"})
    void theUiIsOnTheGatewayAtHome(String env, String host) {
        Map<String, Object> spec = spec(renders.object(env, "VirtualService", APP));
        assertThat(KubeObject.list(spec.get("hosts"))).containsExactly(host);
        assertThat(KubeObject.list(spec.get("gateways"))).containsExactly("istio-ingress/homestack-gateway");
        Map<String, Object> destination = KubeObject.path(KubeObject.map(KubeObject.list(KubeObject.map(
                KubeObject.list(spec.get("http")).get(0)).get("route")).get(0)), "destination");
        assertThat(destination.get("host")).isEqualTo(APP + "." + NAMESPACE + ".svc.cluster.local");
        assertThat(KubeObject.path(destination, "port").get("number")).isEqualTo(servicePort(env).get("port"));
    }

    /** Prometheus (no mesh identity) scrapes /api/prometheus in plain text; plain text may do nothing else there. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void prometheusScrapesApiPrometheusAndPlainTextReachesNothingElse(String env) {
        Map<String, Object> monitor = spec(renders.object(env, "ServiceMonitor", APP));
        assertThat(renders.object(env, "Service", APP).labels())
                .containsAllEntriesOf(stringMap(KubeObject.path(monitor, "selector", "matchLabels")));
        Map<String, Object> endpoint = KubeObject.map(KubeObject.list(monitor.get("endpoints")).get(0));
        assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/api/prometheus")
                .doesNotContainKeys("authorization", "bearerTokenSecret");

        Map<String, Object> peer = spec(renders.object(env, "PeerAuthentication", "home-assistant-metrics-plaintext"));
        assertThat(KubeObject.path(peer, "mtls")).containsEntry("mode", "STRICT");
        assertThat(KubeObject.path(peer, "portLevelMtls")).containsOnlyKeys("8123")
                .containsEntry("8123", Map.of("mode", "PERMISSIVE"));
        Map<String, Object> rule = KubeObject.map(KubeObject.list(spec(renders.object(env, "AuthorizationPolicy",
                "home-assistant-allow-metrics")).get("rules")).get(0));
        assertThat(KubeObject.list(rule.get("from"))).containsExactly(Map.of("source", Map.of("notPrincipals", List.of("*"))));
        assertThat(KubeObject.path(KubeObject.map(KubeObject.list(rule.get("to")).get(0)), "operation"))
                .isEqualTo(Map.of("ports", List.of("8123"), "methods", List.of("GET"), "paths", List.of("/api/prometheus")));
        for (String selecting : List.of("PeerAuthentication/home-assistant-metrics-plaintext",
                "AuthorizationPolicy/home-assistant-allow-metrics")) {
            String[] kn = selecting.split("/");
            assertThat(KubeObject.path(spec(renders.object(env, kn[0], kn[1])), "selector", "matchLabels"))
                    .as("%s applies to HA's pod only", selecting).isEqualTo(Map.of("app.kubernetes.io/name", APP));
        }
    }

    private Map<String, Object> servicePort(String env) {
        return KubeObject.list(spec(renders.object(env, "Service", APP)).get("ports")).stream().map(KubeObject::map)
                .filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> secretRef(String key) {
        return Map.of("valueFrom", Map.of("secretKeyRef", Map.of("name", "mqtt-homeassistant", "key", key)));
    }

    private static Map<String, Object> spec(KubeObject o) {
        return KubeObject.path(o.body(), "spec");
    }

    private static Map<String, String> stringMap(Map<String, Object> map) {
        return map.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> String.valueOf(e.getValue())));
    }
}
