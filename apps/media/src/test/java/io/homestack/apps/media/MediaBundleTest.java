package io.homestack.apps.media;

import io.fabric8.kubernetes.api.model.Quantity;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.model.ImageReference;
import io.homestack.bundle.test.VeleroPodVolumes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.Comparator;
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

    private static final List<String> APPS = List.of("nzbget", "sonarr", "radarr", "prowlarr");
    /** The apps that handle files: nzbget downloads, Sonarr and Radarr import. Prowlarr only manages indexers. */
    private static final List<String> FILE_HANDLERS = List.of("nzbget", "sonarr", "radarr");
    /** Where each importer imports to: mount path and claim of its library. */
    private static final Map<String, String> LIBRARIES = Map.of("sonarr", "tv", "radarr", "movies");
    /**
     * nzbget's DestDir in the nzbget.conf the pinned linuxserver image seeds /config with (its Dockerfile sets
     * DestDir=/downloads/completed and InterDir=/downloads/intermediate): where completed jobs land, per category.
     */
    private static final String NZBGET_COMPLETED = "/downloads/completed";
    private static final String NAMESPACE = "media";
    private static final String GATEWAY = "istio-ingress/homestack-gateway";
    /** The one image this repository builds (apps/media/nzbget-exporter), as the manifests name it. */
    private static final String OUR_EXPORTER = "/homestack/nzbget-exporter";

    private final MediaRenders output = new MediaRenders();

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theDownloaderAndTheImportersMountTheSameDownloadsClaim(String env) {
        for (String app : FILE_HANDLERS) {
            Map<String, Object> pod = podSpec(env, app);
            Map<String, Object> main = container(pod, app);
            assertThat(claimMountedAt(pod, main, "/downloads")).as("%s: claim at /downloads in %s", app, env)
                    .isEqualTo("downloads");
        }
        assertThat(output.objects(env, "PersistentVolumeClaim")).filteredOn(o -> o.name().equals("downloads"))
                .as("exactly one downloads claim in %s", env).hasSize(1);
        assertThat(claimsOf(podSpec(env, "prowlarr"))).as("Prowlarr handles no files: its config only")
                .containsExactly("prowlarr-config");
    }

    /**
     * nzbget reports a completed job under its DestDir; Sonarr and Radarr import from the path nzbget reports. That
     * path must be on the same claim, at the same place, in all three pods, or every import fails (or needs a remote
     * path mapping).
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void nzbgetsCompletedDownloadsAreWhereSonarrAndRadarrLookForThem(String env) {
        String completed = claimPathOf(podSpec(env, "nzbget"), "nzbget", NZBGET_COMPLETED);

        assertThat(completed).as("nzbget's %s in %s", NZBGET_COMPLETED, env).startsWith("downloads:");
        for (String importer : LIBRARIES.keySet()) {
            assertThat(claimPathOf(podSpec(env, importer), importer, NZBGET_COMPLETED))
                    .as("%s sees nzbget's %s on the same claim and sub-path", importer, NZBGET_COMPLETED)
                    .isEqualTo(completed);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void sonarrAndRadarrEachMountTheirOwnLibraryWhereTheyImport(String env) {
        LIBRARIES.forEach((app, library) -> {
            Map<String, Object> pod = podSpec(env, app);
            assertThat(claimMountedAt(pod, container(pod, app), "/" + library)).as("%s /%s in %s", app, library, env)
                    .isEqualTo(library);
            assertThat(claimsOf(pod)).as("%s mounts no other library", app)
                    .doesNotContainAnyElementsOf(LIBRARIES.values().stream().filter(l -> !l.equals(library)).toList());
        });
        for (String other : List.of("nzbget", "prowlarr")) {
            assertThat(claimsOf(podSpec(env, other))).as("%s mounts no library", other)
                    .doesNotContainAnyElementsOf(LIBRARIES.values());
        }
    }

    @ParameterizedTest
    @CsvSource({"k3d, standard, ReadWriteOnce", "k3s, nas, ReadWriteMany"})
    void downloadsAndTheLibrariesLiveWhereTheEnvironmentKeepsSharedData(String env, String storageClass,
                                                                       String accessMode) {
        for (String claim : List.of("downloads", "tv", "movies")) {
            Map<String, Object> spec = spec(output.object(env, "PersistentVolumeClaim", claim));

            assertThat(spec.get("storageClassName")).as("%s in %s", claim, env).isEqualTo(storageClass);
            assertThat(KubeObject.list(spec.get("accessModes"))).as("%s in %s", claim, env).containsExactly(accessMode);
        }
    }

    /** Laptop sizes on k3d (the node's disk, shared with everything else); the NAS's room on k3s. */
    @Test
    void theSharedClaimsAreSizedForALaptopOnK3dAndForTheNasOnK3s() {
        for (String claim : List.of("downloads", "tv", "movies")) {
            assertThat(requestedBytes("k3d", claim)).as("%s on k3d", claim).isLessThanOrEqualTo(gibibytes(10));
            assertThat(requestedBytes("k3s", claim)).as("%s on k3s", claim).isGreaterThanOrEqualTo(gibibytes(1024));
        }
    }

    /**
     * backup/velero's Schedule media-daily backs up every pod volume a pod does not opt out of (defaultVolumesToFsBackup).
     * Each app's config is its state and is copied; downloads, the libraries (terabytes, on the NAS that also holds the
     * backups) and the scratch emptyDirs are not. Velero still skips the config claims while they are local-path
     * hostPath volumes (backup/velero README, "PVC data"): the opt-outs are right for the day they are not.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theDailyBackupCopiesEachAppsConfigVolumeAndNothingElse(String env) {
        for (String app : APPS) {
            Map<String, Object> template = podTemplate(env, app);
            Set<String> copied = VeleroPodVolumes.backedUp(template);

            assertThat(copied).as("%s: the volumes Velero's file-system backup copies in %s", app, env)
                    .containsExactly(volumeOfClaim(PodSpecs.of(deployment(env, app)), app + "-config"));
            assertThat(VeleroPodVolumes.excluded(template)).as("%s: it opts out only of volumes it has", app)
                    .isSubsetOf(KubeObject.list(KubeObject.path(template, "spec").get("volumes")).stream()
                            .map(v -> KubeObject.string(KubeObject.map(v).get("name"))).toList());
        }
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
        for (String app : List.of("sonarr", "radarr", "prowlarr")) {
            Map<String, Object> pod = podSpec(env, app);
            Map<String, Object> exporter = container(pod, "exportarr");
            assertThat(exporter.get("image").toString()).startsWith("ghcr.io/onedr0p/exportarr:");
            assertThat(KubeObject.list(exporter.get("args"))).as("%s: exportarr's mode for the app", app)
                    .containsExactly(app);
            assertThat(secretRef(exporter, "API_KEY")).isEqualTo(app + "-api-key/api-key");
            assertThat(secretRef(container(pod, app), app.toUpperCase() + "__AUTH__APIKEY"))
                    .as("%s itself uses the same key, so exportarr always matches it", app)
                    .isEqualTo(app + "-api-key/api-key");
        }
        Map<String, Object> nzbget = podSpec(env, "nzbget");
        assertThat(secretRef(container(nzbget, "exporter"), "NZBGET_USER")).isEqualTo("nzbget-credentials/username");
        assertThat(secretRef(container(nzbget, "exporter"), "NZBGET_PASS")).isEqualTo("nzbget-credentials/password");
        assertThat(secretRef(container(nzbget, "nzbget"), "NZBGET_PASS")).isEqualTo("nzbget-credentials/password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyImageIsPinnedToAnExactVersion(String env) {
        List<String> images = PodSpecs.images(output.objects(env));
        // Our exporter's image is pinned by the build, to the digest it made (NzbgetExporterTest).
        List<String> upstream = images.stream().filter(i -> !i.contains(OUR_EXPORTER)).toList();

        assertThat(images).hasSize(2 * APPS.size());
        assertThat(upstream).hasSize(2 * APPS.size() - 1).allSatisfy(image -> {
            assertThat(ImageReference.problem(image)).as(image).isNull();
            String tag = image.substring(image.lastIndexOf(':') + 1);
            assertThat(tag).as("%s: a linuxserver build tag (-lsNNN) or a full x.y.z version, never a floating tag", image)
                    .matches("v?\\d+\\.\\d+(\\.\\d+)*-ls\\d+|v?\\d+\\.\\d+\\.\\d+");
        });
        assertThat(Set.copyOf(upstream)).as("both environments run the same versions")
                .isEqualTo(PodSpecs.images(output.objects(env.equals("k3d") ? "k3s" : "k3d")).stream()
                        .filter(i -> !i.contains(OUR_EXPORTER)).collect(Collectors.toSet()));
    }

    @Test
    void everyShippedEnvironmentShipsEverySecretItsPodsReadAsASealedSecret() {
        assertThat(MediaRenders.shippedEnvironments()).as("bundle.yaml environments").isNotEmpty();
        for (String env : MediaRenders.shippedEnvironments()) {
            List<KubeObject> objects = output.objects(env);
            Map<String, Set<String>> referenced = MediaRenders.secretKeysReferenced(objects);
            assertThat(referenced).as("the Secrets media's pods read in %s", env)
                    .containsOnlyKeys("nzbget-credentials", "prowlarr-api-key", "radarr-api-key", "sonarr-api-key");
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

    /** The claims a pod mounts. */
    private static List<String> claimsOf(Map<String, Object> podSpec) {
        return KubeObject.list(podSpec.get("volumes")).stream()
                .map(v -> KubeObject.path(KubeObject.map(v), "persistentVolumeClaim").get("claimName"))
                .filter(Objects::nonNull).map(String::valueOf).toList();
    }

    private static String volumeOfClaim(Map<String, Object> podSpec, String claim) {
        return KubeObject.list(podSpec.get("volumes")).stream().map(KubeObject::map)
                .filter(v -> claim.equals(KubeObject.path(v, "persistentVolumeClaim").get("claimName")))
                .map(v -> KubeObject.string(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume of claim " + claim));
    }

    /**
     * "claim:sub-path" of a path in a container: the claim of the deepest mount that holds it and the path below that
     * mount (plus the mount's own subPath).
     */
    private static String claimPathOf(Map<String, Object> podSpec, String containerName, String path) {
        Map<String, Object> mount = KubeObject.list(container(podSpec, containerName).get("volumeMounts")).stream()
                .map(KubeObject::map)
                .filter(m -> path.equals(m.get("mountPath")) || path.startsWith(m.get("mountPath") + "/"))
                .max(Comparator.comparingInt(m -> KubeObject.string(m.get("mountPath")).length()))
                .orElseThrow(() -> new AssertionError(containerName + " mounts nothing that holds " + path));
        String below = path.substring(KubeObject.string(mount.get("mountPath")).length());
        String subPath = mount.get("subPath") == null ? "" : "/" + mount.get("subPath");
        Map<String, Object> volume = KubeObject.list(podSpec.get("volumes")).stream().map(KubeObject::map)
                .filter(v -> mount.get("name").equals(v.get("name"))).findFirst().orElseThrow();
        return KubeObject.path(volume, "persistentVolumeClaim").get("claimName") + ":" + subPath + below;
    }

    private long requestedBytes(String env, String claim) {
        Object size = KubeObject.path(spec(output.object(env, "PersistentVolumeClaim", claim)), "resources", "requests")
                .get("storage");
        return Quantity.getAmountInBytes(new Quantity(String.valueOf(size))).longValueExact();
    }

    private static long gibibytes(long n) {
        return n << 30;
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
