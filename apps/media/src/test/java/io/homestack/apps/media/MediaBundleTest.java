package io.homestack.apps.media;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.model.ImageReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the rendered media bundle for both environments: k3d as built (target/bundle/k3d), k3s as its overlay renders
 * (not shipped yet, see {@link MediaRenders}).
 */
class MediaBundleTest {

    private static final List<String> APPS = List.of("nzbget", "sonarr", "radarr");
    private static final String NAMESPACE = "media";
    private static final String GATEWAY = "istio-ingress/homestack-gateway";

    private final MediaRenders output = new MediaRenders();

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theThreeAppsMountTheSameDownloadsClaim(String env) {
        for (String app : APPS) {
            Map<String, Object> pod = podSpec(env, app);
            Map<String, Object> main = container(pod, app);
            assertThat(claimMountedAt(pod, main, "/downloads")).as("%s: claim at /downloads in %s", app, env)
                    .isEqualTo("downloads");
        }
        assertThat(output.objects(env, "PersistentVolumeClaim")).filteredOn(o -> o.name().equals("downloads"))
                .as("exactly one downloads claim in %s", env).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"k3d, standard, ReadWriteOnce", "k3s, nas, ReadWriteMany"})
    void downloadsLivesWhereTheEnvironmentKeepsSharedData(String env, String storageClass, String accessMode) {
        Map<String, Object> spec = spec(output.object(env, "PersistentVolumeClaim", "downloads"));

        assertThat(spec.get("storageClassName")).isEqualTo(storageClass);
        assertThat(KubeObject.list(spec.get("accessModes"))).containsExactly(accessMode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void eachAppKeepsItsConfigOnItsOwnStandardClaim(String env) {
        for (String app : APPS) {
            Map<String, Object> pod = podSpec(env, app);
            assertThat(claimMountedAt(pod, container(pod, app), "/config")).as("%s /config in %s", app, env)
                    .isEqualTo(app + "-config");
            Map<String, Object> claim = spec(output.object(env, "PersistentVolumeClaim", app + "-config"));
            assertThat(claim.get("storageClassName")).as("%s-config: SQLite stays off NFS", app).isEqualTo("standard");
            assertThat(KubeObject.list(claim.get("accessModes"))).containsExactly("ReadWriteOnce");
        }
    }

    @Test
    void onlyK3dAsksTheMediaPodsToShareANodeAndOnlySoftly() {
        for (String app : APPS) {
            Map<String, Object> affinity = KubeObject.path(podSpec("k3d", app), "affinity", "podAffinity");
            assertThat(affinity).as("%s on k3d", app).containsOnlyKeys("preferredDuringSchedulingIgnoredDuringExecution");
            Map<String, Object> term = KubeObject.path(KubeObject.map(KubeObject.list(
                    affinity.get("preferredDuringSchedulingIgnoredDuringExecution")).get(0)), "podAffinityTerm");
            assertThat(term.get("topologyKey")).isEqualTo("kubernetes.io/hostname");
            assertThat(KubeObject.path(term, "labelSelector", "matchLabels"))
                    .containsEntry("app.kubernetes.io/part-of", "media");
            assertThat(KubeObject.path(podTemplate("k3d", app), "metadata", "labels"))
                    .as("%s pods carry the label the affinity term selects", app)
                    .containsEntry("app.kubernetes.io/part-of", "media");

            assertThat(podSpec("k3s", app)).as("%s on k3s: RWX downloads, no affinity", app).doesNotContainKey("affinity");
        }
    }

    @ParameterizedTest
    @CsvSource({"k3d, homestack.localhost", "k3s, home.example.net"})
    void everyAppHasAVirtualServiceOnTheIngressGatewayForItsHost(String env, String domain) {
        for (String app : APPS) {
            KubeObject vs = output.object(env, "VirtualService", app);
            Map<String, Object> spec = spec(vs);
            assertThat(vs.namespace()).isEqualTo(NAMESPACE);
            assertThat(KubeObject.list(spec.get("hosts"))).as("%s hosts in %s", app, env)
                    .containsExactly(app + "." + domain);
            assertThat(KubeObject.list(spec.get("gateways"))).containsExactly(GATEWAY);

            Map<String, Object> destination = KubeObject.path(KubeObject.map(KubeObject.list(KubeObject.map(
                    KubeObject.list(spec.get("http")).get(0)).get("route")).get(0)), "destination");
            assertThat(destination.get("host")).isEqualTo(app + "." + NAMESPACE + ".svc.cluster.local");
            assertThat(KubeObject.path(destination, "port").get("number"))
                    .as("%s routes to the Service's http port", app).isEqualTo(servicePort(env, app, "http").get("port"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyAppIsScrapedThroughAServiceMonitorOnItsMetricsPort(String env) {
        for (String app : APPS) {
            Map<String, Object> spec = spec(output.object(env, "ServiceMonitor", app));
            KubeObject service = output.object(env, "Service", app);
            assertThat(service.labels()).as("the ServiceMonitor of %s selects its Service", app)
                    .containsAllEntriesOf(stringMap(KubeObject.path(spec, "selector", "matchLabels")));
            List<String> ports = KubeObject.list(spec.get("endpoints")).stream()
                    .map(e -> KubeObject.string(KubeObject.map(e).get("port"))).toList();
            assertThat(ports).containsExactly("metrics");

            Object target = servicePort(env, app, "metrics").get("targetPort");
            Set<String> exporterPorts = PodSpecs.containers(podSpec(env, app)).stream()
                    .filter(c -> !app.equals(c.get("name")))
                    .flatMap(c -> KubeObject.list(c.get("ports")).stream())
                    .map(p -> KubeObject.string(KubeObject.map(p).get("name"))).collect(Collectors.toSet());
            assertThat(exporterPorts).as("%s: the metrics port is served by the exporter sidecar", app).contains(
                    String.valueOf(target));
        }
    }

    /**
     * Prometheus has no Istio certificate (docs/decisions.md, "Istio metrics under STRICT mTLS"): each exporter port a
     * ServiceMonitor scrapes accepts plain text (port-level PERMISSIVE for the pod) and GET /metrics on it is allowed
     * without an identity; the pods' other ports stay STRICT and closed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void prometheusReachesEveryExporterPortInPlainTextAndNothingElse(String env) {
        KubeObject peer = output.object(env, "PeerAuthentication", "metrics-plaintext");
        Map<String, Object> ports = KubeObject.path(spec(peer), "portLevelMtls");
        Map<String, Object> allow = KubeObject.map(KubeObject.list(
                spec(output.object(env, "AuthorizationPolicy", "allow-metrics")).get("rules")).get(0));
        Map<String, Object> operation = KubeObject.path(KubeObject.map(KubeObject.list(allow.get("to")).get(0)),
                "operation");
        Set<String> exporterPorts = new java.util.HashSet<>();

        assertThat(KubeObject.path(spec(peer), "mtls")).containsEntry("mode", "STRICT");
        assertThat(KubeObject.list(allow.get("from"))).as("plain-text callers only: they have no principal")
                .containsExactly(Map.of("source", Map.of("notPrincipals", List.of("*"))));
        for (String app : APPS) {
            assertThat(podTemplate(env, app).get("metadata")).as("%s: the PeerAuthentication selects its pod", app)
                    .satisfies(m -> assertThat(KubeObject.path(KubeObject.map(m), "labels"))
                            .containsAllEntriesOf(stringMap(KubeObject.path(spec(peer), "selector", "matchLabels"))));
            Object target = servicePort(env, app, "metrics").get("targetPort");
            String number = PodSpecs.containers(podSpec(env, app)).stream()
                    .flatMap(c -> KubeObject.list(c.get("ports")).stream()).map(KubeObject::map)
                    .filter(p -> String.valueOf(target).equals(p.get("name"))).map(p -> String.valueOf(p.get("containerPort")))
                    .findFirst().orElseThrow();
            exporterPorts.add(number);
            assertThat(KubeObject.map(ports.get(number))).as("%s: exporter port %s", app, number)
                    .containsEntry("mode", "PERMISSIVE");
        }
        assertThat(ports.keySet().stream().map(String::valueOf)).as("only the exporter ports")
                .containsExactlyInAnyOrderElementsOf(exporterPorts);
        assertThat(KubeObject.list(operation.get("ports")).stream().map(String::valueOf))
                .containsExactlyInAnyOrderElementsOf(exporterPorts);
        assertThat(operation.get("methods")).isEqualTo(List.of("GET"));
        assertThat(operation.get("paths")).isEqualTo(List.of("/metrics"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theArrExportersReadTheirApiKeyFromTheSecretTheAppUses(String env) {
        for (String app : List.of("sonarr", "radarr")) {
            Map<String, Object> pod = podSpec(env, app);
            Map<String, Object> exporter = container(pod, "exportarr");
            assertThat(exporter.get("image").toString()).startsWith("ghcr.io/onedr0p/exportarr:");
            assertThat(secretRef(exporter, "API_KEY")).isEqualTo(app + "-api-key/api-key");
            assertThat(secretRef(container(pod, app), app.toUpperCase() + "__AUTH__APIKEY"))
                    .as("%s itself uses the same key, so exportarr always matches it", app)
                    .isEqualTo(app + "-api-key/api-key");
        }
        Map<String, Object> nzbget = podSpec(env, "nzbget");
        assertThat(secretRef(container(nzbget, "exporter"), "NZBGET_PASSWORD")).isEqualTo("nzbget-credentials/password");
        assertThat(secretRef(container(nzbget, "nzbget"), "NZBGET_PASS")).isEqualTo("nzbget-credentials/password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyImageIsPinnedToAnExactVersion(String env) {
        List<String> images = PodSpecs.images(output.objects(env));

        assertThat(images).hasSize(6).allSatisfy(image -> {
            assertThat(ImageReference.problem(image)).as(image).isNull();
            String tag = image.substring(image.lastIndexOf(':') + 1);
            assertThat(tag).as("%s: a linuxserver build tag (-lsNNN) or a full x.y.z version, never a floating tag", image)
                    .matches("v?\\d+\\.\\d+(\\.\\d+)*-ls\\d+|v?\\d+\\.\\d+\\.\\d+");
        });
        assertThat(Set.copyOf(images)).as("both environments run the same versions")
                .isEqualTo(Set.copyOf(PodSpecs.images(output.objects(env.equals("k3d") ? "k3s" : "k3d"))));
    }

    @Test
    void everyShippedEnvironmentShipsEverySecretItsPodsReadAsASealedSecret() {
        assertThat(MediaRenders.shippedEnvironments()).as("bundle.yaml environments").isNotEmpty();
        for (String env : MediaRenders.shippedEnvironments()) {
            List<KubeObject> objects = output.objects(env);
            Map<String, Set<String>> referenced = MediaRenders.secretKeysReferenced(objects);
            assertThat(referenced).as("the Secrets media's pods read in %s", env)
                    .containsOnlyKeys("nzbget-credentials", "radarr-api-key", "sonarr-api-key");
            referenced.forEach((secret, keys) -> {
                KubeObject sealed = objects.stream().filter(o -> "SealedSecret".equals(o.kind()) && secret.equals(o.name()))
                        .findFirst().orElseThrow(() -> new AssertionError(env + ": the pods read Secret " + secret
                                + " but the bundle ships no SealedSecret for it; a Deployment without it never starts"));
                assertThat(sealed.namespace()).isEqualTo(NAMESPACE);
                assertThat(KubeObject.path(sealed.body(), "spec", "encryptedData")).as("%s in %s", secret, env)
                        .containsOnlyKeys(keys);
            });
        }
    }

    @Test
    void k3sIsShippedOnlyOnceItsSecretsAreSealedForTheHomeCluster() {
        boolean certificate = Files.isRegularFile(MediaRenders.BUNDLE_DIR.resolve(
                "../../clusters/k3s/sealed-secrets/sealed-secrets-k3s.crt"));
        boolean sealed = !output.objects("k3s", "SealedSecret").isEmpty();
        assertThat(MediaRenders.shippedEnvironments().contains("k3s"))
                .as("k3s in bundle.yaml environments (k3s certificate committed: %s, SealedSecrets in manifests/k3s: %s)",
                        certificate, sealed)
                .isEqualTo(certificate && sealed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void noPlainSecretIsShippedAndEveryObjectIsInTheMediaNamespace(String env) {
        List<KubeObject> objects = output.objects(env);

        assertThat(objects).extracting(KubeObject::kind).doesNotContain("Secret");
        assertThat(objects).filteredOn(o -> !"Namespace".equals(o.kind()))
                .allSatisfy(o -> assertThat(o.namespace()).as(o.describe()).isEqualTo(NAMESPACE));
        KubeObject namespace = output.object(env, "Namespace", NAMESPACE);
        assertThat(namespace.labels()).containsEntry("istio-injection", "enabled")
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theNamespaceIsDeniedByDefaultAndOpenOnlyToTheGatewayPrometheusAndItself(String env) {
        List<KubeObject> policies = output.objects(env, "AuthorizationPolicy");

        assertThat(policies).allSatisfy(p -> assertThat(p.namespace()).isEqualTo(NAMESPACE))
                .extracting(KubeObject::name).containsExactlyInAnyOrder(
                        "default-deny", "allow-ingress-gateway", "allow-prometheus", "allow-same-namespace",
                        "allow-metrics");
        assertThat(spec(output.object(env, "AuthorizationPolicy", "default-deny")))
                .as("platform/istio's allow-nothing policy").isEmpty();
        Map<String, Object> self = KubeObject.map(KubeObject.list(
                spec(output.object(env, "AuthorizationPolicy", "allow-same-namespace")).get("rules")).get(0));
        assertThat(KubeObject.list(KubeObject.path(KubeObject.map(KubeObject.list(self.get("from")).get(0)), "source")
                .get("namespaces"))).as("Sonarr and Radarr call nzbget").containsExactly(NAMESPACE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyPodMeetsTheRestrictedPodSecurityLevel(String env) {
        for (String app : APPS) {
            Map<String, Object> pod = podSpec(env, app);
            Map<String, Object> podContext = KubeObject.map(pod.get("securityContext"));
            assertThat(podContext).containsEntry("runAsNonRoot", true);
            assertThat(KubeObject.path(podContext, "seccompProfile")).containsEntry("type", "RuntimeDefault");
            for (Map<String, Object> c : PodSpecs.allContainers(pod)) {
                Map<String, Object> context = KubeObject.map(c.get("securityContext"));
                assertThat(context).as("%s/%s", app, c.get("name")).containsEntry("allowPrivilegeEscalation", false)
                        .containsEntry("readOnlyRootFilesystem", true);
                assertThat(KubeObject.list(KubeObject.path(context, "capabilities").get("drop"))).containsExactly("ALL");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theLinuxserverContainersGetWhatS6NeedsToStartNonRoot(String env) {
        KubeObject settings = output.objects(env, "ConfigMap").stream()
                .filter(c -> c.name().startsWith("media-env")).findFirst().orElseThrow();
        assertThat(KubeObject.map(settings.body().get("data")))
                .containsEntry("S6_YES_I_WANT_A_WORLD_WRITABLE_RUN_BECAUSE_KUBERNETES", "1");
        for (String app : APPS) {
            Map<String, Object> pod = podSpec(env, app);
            Map<String, Object> main = container(pod, app);
            assertThat(main.get("image").toString()).startsWith("lscr.io/linuxserver/" + app + ":");
            assertThat(KubeObject.list(main.get("envFrom"))).extracting(e -> KubeObject.path(KubeObject.map(e),
                    "configMapRef").get("name")).containsExactly(settings.name());
            Map<String, Object> run = volumeMountedAt(pod, main, "/run");
            assertThat(KubeObject.path(run, "emptyDir")).as("%s: /run is a tmpfs s6 can exec from", app)
                    .containsEntry("medium", "Memory");
        }
    }

    // --- helpers ---

    private KubeObject deployment(String env, String app) {
        return output.object(env, "Deployment", app);
    }

    private Map<String, Object> podTemplate(String env, String app) {
        return KubeObject.path(deployment(env, app).body(), "spec", "template");
    }

    private Map<String, Object> podSpec(String env, String app) {
        return PodSpecs.of(deployment(env, app));
    }

    private static Map<String, Object> spec(KubeObject object) {
        return KubeObject.path(object.body(), "spec");
    }

    private static Map<String, Object> container(Map<String, Object> podSpec, String name) {
        return PodSpecs.containers(podSpec).stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name + " in " + PodSpecs.containers(podSpec)
                        .stream().map(c -> c.get("name")).toList()));
    }

    private static Map<String, Object> volumeMountedAt(Map<String, Object> podSpec, Map<String, Object> container,
                                                       String path) {
        Map<String, Object> volume = PodSpecs.volumeMountedAt(podSpec, container, path);
        if (volume == null) {
            throw new AssertionError(container.get("name") + " mounts no volume at " + path);
        }
        return volume;
    }

    private static String claimMountedAt(Map<String, Object> podSpec, Map<String, Object> container, String path) {
        return KubeObject.string(KubeObject.path(volumeMountedAt(podSpec, container, path), "persistentVolumeClaim")
                .get("claimName"));
    }

    private Map<String, Object> servicePort(String env, String app, String name) {
        return KubeObject.list(spec(output.object(env, "Service", app)).get("ports")).stream().map(KubeObject::map)
                .filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("Service " + app + " has no port " + name));
    }

    /** "secret/key" of the env var's secretKeyRef, or null when it is not taken from a Secret. */
    private static String secretRef(Map<String, Object> container, String variable) {
        return KubeObject.list(container.get("env")).stream().map(KubeObject::map)
                .filter(e -> variable.equals(e.get("name")))
                .map(e -> KubeObject.path(e, "valueFrom", "secretKeyRef"))
                .filter(ref -> !ref.isEmpty())
                .map(ref -> ref.get("name") + "/" + ref.get("key"))
                .findFirst().orElse(null);
    }

    private static Map<String, String> stringMap(Map<String, Object> map) {
        return map.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Objects.toString(e.getValue())));
    }
}
