package io.homestack.apps.security;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.model.ImageReference;
import io.homestack.bundle.test.BundleRenders;
import io.homestack.bundle.test.PinnedVersions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the rendered security bundle (Frigate) as built for both environments it ships, k3d and k3s. */
class SecurityBundleTest {

    static final String NAMESPACE = "security";
    private static final String GATEWAY = "istio-ingress/homestack-gateway";

    private final BundleRenders output = BundleRenders.ofModule();

    @Test
    void bothEnvironmentsShip() {
        assertThat(output.shippedEnvironments()).as("bundle.yaml: Frigate reads no Secret, so k3s needs no sealing")
                .containsExactly("k3d", "k3s");
    }

    @Test
    void k3sGetsTheGpuTheNvidiaRuntimeAndHardAffinityToTheNvidiaNode() {
        Map<String, Object> pod = FrigateObjects.podSpec(output, "k3s");
        Map<String, Object> frigate = FrigateObjects.frigate(pod);

        assertThat(pod.get("runtimeClassName")).as("platform/nvidia-device-plugin's RuntimeClass").isEqualTo("nvidia");
        assertThat(KubeObject.path(frigate, "resources", "limits")).containsEntry("nvidia.com/gpu", 1);
        Map<String, Object> nodeAffinity = KubeObject.path(pod, "affinity", "nodeAffinity");
        assertThat(nodeAffinity).containsOnlyKeys("requiredDuringSchedulingIgnoredDuringExecution");
        assertThat(KubeObject.list(KubeObject.path(nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution")
                .get("nodeSelectorTerms"))).containsExactly(Map.of("matchExpressions", List.of(
                        Map.of("key", "hardware/nvidia", "operator", "In", "values", List.of("true")))));
        assertThat(FrigateObjects.env(frigate, "NVIDIA_DRIVER_CAPABILITIES")).as("NVDEC needs the video libraries")
                .contains("video").contains("compute");
    }

    @Test
    void k3dAsksForNoGpuAndOnlyPrefersAnNvidiaNode() {
        Map<String, Object> pod = FrigateObjects.podSpec(output, "k3d");
        Map<String, Object> frigate = FrigateObjects.frigate(pod);

        assertThat(pod).doesNotContainKey("runtimeClassName");
        assertThat(KubeObject.path(frigate, "resources", "limits")).doesNotContainKey("nvidia.com/gpu");
        Map<String, Object> nodeAffinity = KubeObject.path(pod, "affinity", "nodeAffinity");
        assertThat(nodeAffinity).as("soft only: k3d has no GPU node").containsOnlyKeys(
                "preferredDuringSchedulingIgnoredDuringExecution");
        assertThat(KubeObject.list(nodeAffinity.get("preferredDuringSchedulingIgnoredDuringExecution")))
                .extracting(t -> KubeObject.path(KubeObject.map(t), "preference").get("matchExpressions"))
                .containsExactly(List.of(Map.of("key", "hardware/nvidia", "operator", "In", "values", List.of("true"))));
    }

    /** The image is upstream's release FRIGATE_VERSION, the source whose config model FrigateConfigTest runs. */
    @ParameterizedTest
    @CsvSource({"k3d, ''", "k3s, -tensorrt"})
    void theImageIsTheReleaseWhoseConfigModelTheTestsRun(String env, String variant) {
        List<String> images = PodSpecs.images(output.objects(env));
        String version = PinnedVersions.of("FRIGATE_VERSION").replaceFirst("^v", "");

        assertThat(images).containsExactly("ghcr.io/blakeblackshear/frigate:" + version + variant);
        assertThat(ImageReference.problem(images.get(0))).isNull();
    }

    @ParameterizedTest
    @CsvSource({"k3d, standard, ReadWriteOnce", "k3s, nas, ReadWriteMany"})
    void recordingsLiveWhereTheEnvironmentKeepsBulkDataAndTheDatabaseStaysNodeLocal(String env, String storageClass,
                                                                                    String accessMode) {
        Map<String, Object> pod = FrigateObjects.podSpec(output, env);
        Map<String, Object> frigate = FrigateObjects.frigate(pod);

        assertThat(FrigateObjects.claimMountedAt(pod, frigate, "/media/frigate")).isEqualTo("frigate-media");
        Map<String, Object> media = spec(output.object(env, "PersistentVolumeClaim", "frigate-media"));
        assertThat(media.get("storageClassName")).isEqualTo(storageClass);
        assertThat(KubeObject.list(media.get("accessModes"))).containsExactly(accessMode);

        assertThat(FrigateObjects.claimMountedAt(pod, frigate, "/config")).isEqualTo("frigate-config");
        Map<String, Object> config = spec(output.object(env, "PersistentVolumeClaim", "frigate-config"));
        assertThat(config.get("storageClassName")).as("SQLite stays off NFS").isEqualTo("standard");

        String excluded = KubeObject.string(KubeObject.path(FrigateObjects.podTemplate(output, env), "metadata",
                "annotations").get("backup.velero.io/backup-volumes-excludes"));
        assertThat(List.of(excluded.split(","))).as("Velero's file-system backup skips the recordings, keeps /config")
                .contains(FrigateObjects.volumeName(pod, frigate, "/media/frigate"))
                .doesNotContain(FrigateObjects.volumeName(pod, frigate, "/config"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void frigateReadsItsConfigFromTheGeneratedConfigMap(String env) {
        Map<String, Object> pod = FrigateObjects.podSpec(output, env);
        Map<String, Object> frigate = FrigateObjects.frigate(pod);
        KubeObject configMap = FrigateObjects.configMap(output, env);

        String file = FrigateObjects.env(frigate, "CONFIG_FILE");
        String dir = file.substring(0, file.lastIndexOf('/'));
        Map<String, Object> volume = FrigateObjects.volumeMountedAt(pod, frigate, dir);
        assertThat(KubeObject.path(volume, "configMap").get("name")).isEqualTo(configMap.name());
        assertThat(KubeObject.map(configMap.body().get("data"))).containsOnlyKeys(file.substring(dir.length() + 1));
        assertThat(configMap.namespace()).isEqualTo(NAMESPACE);
        assertThat(KubeObject.path(output.object(env, "Deployment", "frigate").body(), "spec", "strategy"))
                .as("one writer of the database and recordings at a time").containsEntry("type", "Recreate");
    }

    @ParameterizedTest
    @CsvSource({"k3d, homestack.localhost", "k3s, home.example.net"})
    void theUiIsOnTheGatewayAtFrigatesAuthenticatedPort(String env, String domain) {
        Map<String, Object> spec = spec(output.object(env, "VirtualService", "frigate"));
        assertThat(KubeObject.list(spec.get("hosts"))).containsExactly("frigate." + domain);
        assertThat(KubeObject.list(spec.get("gateways"))).containsExactly(GATEWAY);
        Map<String, Object> destination = KubeObject.path(KubeObject.map(KubeObject.list(KubeObject.map(
                KubeObject.list(spec.get("http")).get(0)).get("route")).get(0)), "destination");
        assertThat(destination.get("host")).isEqualTo("frigate." + NAMESPACE + ".svc.cluster.local");

        Map<String, Object> port = FrigateObjects.servicePort(output, env, "http");
        assertThat(KubeObject.path(destination, "port").get("number")).isEqualTo(port.get("port"));
        assertThat(FrigateObjects.containerPort(output, env, port.get("targetPort")))
                .as("8971: upstream's authenticated port for reverse proxies, not the open internal 5000").isEqualTo(8971);
    }

    /**
     * Frigate's own /api/metrics on its internal port 5000: scraped by a ServiceMonitor, reachable in plain text (no
     * Istio certificate for Prometheus: docs/decisions.md) for GET /api/metrics only, that port's rest closed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void prometheusScrapesFrigatesOwnEndpointAndNothingElseOnTheOpenPort(String env) {
        Map<String, Object> monitor = spec(output.object(env, "ServiceMonitor", "frigate"));
        assertThat(output.object(env, "Service", "frigate").labels())
                .containsAllEntriesOf(FrigateObjects.strings(KubeObject.path(monitor, "selector", "matchLabels")));
        Map<String, Object> endpoint = KubeObject.map(KubeObject.list(monitor.get("endpoints")).get(0));
        assertThat(endpoint).containsEntry("port", "metrics").containsEntry("path", "/api/metrics");
        Object port = FrigateObjects.containerPort(output, env, FrigateObjects.servicePort(output, env, "metrics")
                .get("targetPort"));
        assertThat(port).isEqualTo(5000);

        Map<String, Object> peer = spec(output.object(env, "PeerAuthentication", "metrics-plaintext"));
        assertThat(KubeObject.path(peer, "mtls")).containsEntry("mode", "STRICT");
        assertThat(KubeObject.path(peer, "portLevelMtls")).containsOnlyKeys(String.valueOf(port))
                .containsEntry(String.valueOf(port), Map.of("mode", "PERMISSIVE"));
        assertThat(KubeObject.path(FrigateObjects.podTemplate(output, env), "metadata", "labels"))
                .containsAllEntriesOf(FrigateObjects.strings(KubeObject.path(peer, "selector", "matchLabels")));

        Map<String, Object> allow = KubeObject.map(KubeObject.list(
                spec(output.object(env, "AuthorizationPolicy", "allow-metrics")).get("rules")).get(0));
        assertThat(KubeObject.list(allow.get("from"))).containsExactly(Map.of("source", Map.of("notPrincipals",
                List.of("*"))));
        assertThat(KubeObject.list(allow.get("to"))).containsExactly(Map.of("operation", Map.of(
                "ports", List.of(String.valueOf(port)), "methods", List.of("GET"), "paths", List.of("/api/metrics"))));
        assertThat(output.objects(env, "AuthorizationPolicy")).extracting(KubeObject::name)
                .containsExactlyInAnyOrder("default-deny", "allow-ingress-gateway", "allow-prometheus", "allow-metrics");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void thePodIsBaselineCompatibleWithNothingPrivileged(String env) {
        Map<String, Object> pod = FrigateObjects.podSpec(output, env);
        assertThat(KubeObject.map(output.objects(env, "Namespace").get(0).body().get("metadata")))
                .satisfies(m -> assertThat(KubeObject.path(m, "labels"))
                        .containsEntry("pod-security.kubernetes.io/enforce", "baseline")
                        .containsEntry("istio-injection", "enabled"));
        assertThat(pod).doesNotContainKeys("hostNetwork", "hostPID", "hostIPC");
        assertThat(KubeObject.list(pod.get("volumes"))).noneMatch(v -> KubeObject.map(v).containsKey("hostPath"));
        for (Map<String, Object> c : PodSpecs.allContainers(pod)) {
            Map<String, Object> context = KubeObject.map(c.get("securityContext"));
            assertThat(context).containsEntry("allowPrivilegeEscalation", false).doesNotContainKey("privileged")
                    .doesNotContainKey("capabilities");
        }
        assertThat(FrigateObjects.volumeMountedAt(pod, FrigateObjects.frigate(pod), "/dev/shm"))
                .satisfies(v -> assertThat(KubeObject.path(v, "emptyDir")).containsEntry("medium", "Memory"));
    }

    private static Map<String, Object> spec(KubeObject object) {
        return KubeObject.path(object.body(), "spec");
    }
}
