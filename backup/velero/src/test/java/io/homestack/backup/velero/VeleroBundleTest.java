package io.homestack.backup.velero;

import io.homestack.bundle.BundleLog;
import io.homestack.bundle.hydrate.ChartSource;
import io.homestack.bundle.hydrate.HydratedBundle;
import io.homestack.bundle.hydrate.Hydrator;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.BundleDescriptor;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.bundle.render.ChartApplications;
import io.homestack.bundle.render.Kustomize;
import io.homestack.bundle.test.BundleRenders;
import io.homestack.bundle.test.PinnedVersions;
import io.homestack.bundle.test.RepositoryBundles;
import io.homestack.bundle.test.release.ReleaseHarness;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the velero bundle: k3d as built (target/bundle/k3d), k3s as its overlay renders (BundleRenders), and the chart
 * values inside the chart's Application. The chart itself cannot be obtained here (charts.sh says so): what it renders
 * from these values is NOT VERIFIED; the values are checked against the chart's templates as README "Values" reads them.
 */
class VeleroBundleTest {

    static final String NAMESPACE = "velero";
    static final String APPLICATION = "velero-velero";
    static final String CREDENTIALS = "velero-s3-credentials";
    static final String CREDENTIALS_KEY = "cloud";
    private static final String CHART_VERSION = "12.1.0";
    private static final String VELERO = "docker.io/velero/velero";
    private static final String AWS_PLUGIN = "docker.io/velero/velero-plugin-for-aws:v1.14.3";
    private static final String WAVE = "argocd.argoproj.io/sync-wave";

    /** The object store's S3 interface (docs/decisions.md, backup layer contract): all Velero knows of it. */
    private static final Map<String, Object> S3_INTERFACE = Map.of(
            "region", "us-east-1",
            "s3ForcePathStyle", "true",
            "s3Url", "http://object-store.object-store.svc:7070");
    private static final String BUCKET = "velero";

    private static final BundleRenders RENDERS = BundleRenders.ofModule();
    private static final Path REPOSITORY = RENDERS.bundleDir().resolve("../..").normalize();

    private final BundleRenders renders = RENDERS;

    @ParameterizedTest
    @ValueSource(strings = {"k3d"})
    void theChartIsPinnedAndRunsTheServerWhoseCrdsTheEnvtestKitInstalls(String env) throws IOException {
        Map<String, Object> source = KubeObject.path(application(env).body(), "spec", "source");
        Map<String, Object> image = KubeObject.path(values(env), "image");

        assertThat(source).containsEntry("repoURL", "https://vmware-tanzu.github.io/helm-charts")
                .containsEntry("chart", "velero").containsEntry("targetRevision", CHART_VERSION);
        assertThat(KubeObject.path(source, "helm")).as("the Service and pod labels our monitors select")
                .containsEntry("releaseName", "velero");
        assertThat(KubeObject.path(application(env).body(), "spec", "destination")).containsEntry("namespace", NAMESPACE);
        assertThat(image).containsEntry("repository", VELERO).doesNotContainKey("digest")
                .containsEntry("tag", PinnedVersions.of("CRD_VELERO_VERSION"))
                .as("the server the round trip builds and runs").containsEntry("tag", PinnedVersions.of("VELERO_VERSION"));
        assertThat(AWS_PLUGIN).as("the plugin the round trip builds and loads")
                .endsWith(":" + PinnedVersions.of("VELERO_PLUGIN_AWS_VERSION"));
        assertThat(Files.readString(renders.output().root().resolve(".homestack/bundle.json")))
                .contains(serverImage(env)).contains(AWS_PLUGIN);
    }

    /** bundle.yaml lists exactly the images of our values: the server's and each initContainer's. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void bundleYamlListsEveryImageTheValuesRun(String env) {
        ChartSpec chart = Bundle.load(renders.bundleDir()).descriptor().charts().get(0);
        Set<String> images = new TreeSet<>();
        images.add(serverImage(env));
        for (Object init : KubeObject.list(values(env).get("initContainers"))) {
            images.add(KubeObject.string(KubeObject.map(init).get("image")));
        }

        assertThat(images).containsExactlyInAnyOrderElementsOf(chart.images());
        assertThat(images).contains(AWS_PLUGIN);
    }

    /**
     * Chart 12.1.0 runs kubectl only in its label-namespace Job (namespace.labels not empty) and its cleanup-crds Job
     * (cleanUpCRDs); its upgrade-CRDs Job runs the velero image. All three are off: no image outside bundle.yaml runs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void noChartJobRunsAnUnlistedImage(String env) {
        Map<String, Object> values = values(env);

        assertThat(values).containsEntry("upgradeCRDs", false).containsEntry("cleanUpCRDs", false);
        assertThat(KubeObject.path(values, "namespace", "labels")).isEmpty();
    }

    /** The location and the Schedules are ours; the chart must not render a second location or any snapshot location. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theChartRendersNoLocationsAndNoVolumeSnapshotLocationExists(String env) {
        Map<String, Object> values = values(env);
        Map<String, Object> configuration = KubeObject.path(values, "configuration");

        assertThat(values).containsEntry("backupsEnabled", false).containsEntry("snapshotsEnabled", false);
        assertThat(KubeObject.list(configuration.get("backupStorageLocation"))).isEmpty();
        assertThat(KubeObject.list(configuration.get("volumeSnapshotLocation"))).isEmpty();
        assertThat(KubeObject.path(values, "schedules")).as("Schedules are manifests, not values").isEmpty();
        assertThat(renders.objects(env, "VolumeSnapshotLocation")).isEmpty();
        assertThat(renders.objects(env, "BackupStorageLocation")).extracting(KubeObject::name).containsExactly("default");
        assertThat(configuration).containsEntry("defaultBackupStorageLocation", "default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theLocationIsTheObjectStoresS3InterfaceWithTheSealedCredentials(String env) {
        Map<String, Object> spec = KubeObject.path(renders.object(env, "BackupStorageLocation", "default").body(), "spec");

        assertThat(spec).containsEntry("provider", "aws").containsEntry("default", true)
                .containsEntry("accessMode", "ReadWrite");
        assertThat(KubeObject.path(spec, "objectStorage")).containsEntry("bucket", BUCKET).containsEntry("prefix", env);
        assertThat(KubeObject.path(spec, "config")).isEqualTo(S3_INTERFACE);
        assertThat(KubeObject.path(spec, "credential")).isEqualTo(Map.of("name", CREDENTIALS, "key", CREDENTIALS_KEY));
        assertThat(KubeObject.path(values(env), "credentials")).containsEntry("useSecret", true)
                .containsEntry("existingSecret", CREDENTIALS);
    }

    /** Velero starts only where its credentials ship as a SealedSecret holding exactly the key it reads. */
    @Test
    void everyShippedEnvironmentSealsTheCredentialsTheChartMounts() {
        assertThat(renders.shippedEnvironments()).isNotEmpty();
        for (String env : renders.shippedEnvironments()) {
            KubeObject sealed = renders.object(env, "SealedSecret", CREDENTIALS);
            assertThat(sealed.namespace()).isEqualTo(NAMESPACE);
            assertThat(KubeObject.path(sealed.body(), "spec", "encryptedData")).as(env).containsOnlyKeys(CREDENTIALS_KEY);
            assertThat(renders.objects(env)).extracting(KubeObject::kind).doesNotContain("Secret");
        }
    }

    @Test
    void k3sIsShippedOnlyOnceItsCredentialsAreSealedForTheHomeCluster() {
        boolean certificate = Files.isRegularFile(REPOSITORY.resolve(
                "clusters/k3s/sealed-secrets/sealed-secrets-k3s.crt"));
        boolean sealed = !renders.objects("k3s", "SealedSecret").isEmpty();

        assertThat(renders.shippedEnvironments().contains("k3s"))
                .as("k3s in bundle.yaml environments (k3s certificate committed: %s, SealedSecret in manifests/k3s: %s)",
                        certificate, sealed)
                .isEqualTo(certificate && sealed);
    }

    /**
     * One daily Schedule per namespace: a valid cron expression, a TTL Velero parses (between a day and 90 days), our
     * location, pod volumes through the node agent and no snapshots, and backups that outlive the Schedule.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void eachScheduleBacksUpOneNamespaceDailyWithATtlAndTheNodeAgent(String env) {
        List<KubeObject> schedules = renders.objects(env, "Schedule");
        assertThat(schedules).isNotEmpty();
        for (KubeObject schedule : schedules) {
            Map<String, Object> spec = KubeObject.path(schedule.body(), "spec");
            Map<String, Object> template = KubeObject.path(spec, "template");
            List<Object> namespaces = KubeObject.list(template.get("includedNamespaces"));

            assertThat(CronExpression.problems(KubeObject.string(spec.get("schedule")))).as(schedule.describe()).isEmpty();
            assertThat(goDuration(KubeObject.string(template.get("ttl")))).as("%s ttl", schedule.describe())
                    .isBetween(Duration.ofDays(1), Duration.ofDays(90));
            assertThat(namespaces).as("%s: one namespace per Schedule", schedule.describe()).hasSize(1);
            assertThat(schedule.name()).isEqualTo(namespaces.get(0) + "-daily");
            assertThat(template).containsEntry("storageLocation", "default").containsEntry("snapshotVolumes", false)
                    .containsEntry("defaultVolumesToFsBackup", true).doesNotContainKey("includedResources");
            assertThat(spec).containsEntry("useOwnerReferencesInBackup", false)
                    .as("%s: Velero rewrites skipImmediately, Argo CD would heal it back forever", schedule.describe())
                    .doesNotContainKey("skipImmediately");
        }
        assertThat(values(env)).containsEntry("deployNodeAgent", true);
        assertThat(KubeObject.path(values(env), "configuration")).containsEntry("uploaderType", "kopia")
                .containsEntry("defaultVolumesToFsBackup", false)
                .containsEntry("extraArgs", List.of("--schedule-skip-immediately=true"));
    }

    /** A Schedule for a namespace no bundle declares would back up nothing, every day, without a word. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyScheduledNamespaceIsDeclaredByABundle(String env) {
        Set<String> declared = declaredNamespaces();
        assertThat(declared).contains("media", NAMESPACE);
        for (KubeObject schedule : renders.objects(env, "Schedule")) {
            assertThat(KubeObject.list(KubeObject.path(schedule.body(), "spec", "template").get("includedNamespaces")))
                    .as("%s names namespaces that some bundle.yaml declares", schedule.describe())
                    .allSatisfy(ns -> assertThat(declared).contains(KubeObject.string(ns)));
        }
        assertThat(renders.objects(env, "Schedule")).extracting(KubeObject::name).contains("media-daily");
    }

    /**
     * The namespaces of the `workloads` bundles hold the state that is not in Git (apps' configuration and databases):
     * each has its daily Schedule. A new app bundle without one would be left out of every backup without a word.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyNamespaceOfAWorkloadsBundleHasItsDailySchedule(String env) {
        Set<String> schedules = new TreeSet<>(renders.objects(env, "Schedule").stream().map(KubeObject::name).toList());
        Set<String> workloads = new TreeSet<>();
        for (Path bundle : RepositoryBundles.all(REPOSITORY)) {
            BundleDescriptor descriptor = Bundle.load(bundle).descriptor();
            if ("workloads".equals(descriptor.group())) {
                workloads.addAll(descriptor.namespaces());
            }
        }

        assertThat(workloads).as("namespaces of the workloads bundles").contains("media", "home-automation");
        for (String namespace : workloads) {
            assertThat(schedules).as("%s: namespace %s (a workloads bundle) needs manifests/base/schedule-%s.yaml with"
                    + " a Schedule %s-daily (README, \"Schedules\")", env, namespace, namespace, namespace)
                    .contains(namespace + "-daily");
        }
    }

    /** What runs when and how long it is kept is documented where an operator looks: README and the DR runbook. */
    @Test
    void everyScheduleIsListedWithItsTimeAndTtlInTheReadmeAndTheRunbook() throws IOException {
        List<KubeObject> schedules = renders.objects("k3d", "Schedule");
        assertThat(schedules).isNotEmpty();
        for (Path doc : List.of(renders.bundleDir().resolve("README.md"), REPOSITORY.resolve("docs/disaster-recovery.md"))) {
            List<String> lines = Files.readAllLines(doc);
            for (KubeObject schedule : schedules) {
                Map<String, Object> spec = KubeObject.path(schedule.body(), "spec");
                List<String> cells = List.of("`" + schedule.name() + "`", "`" + spec.get("schedule") + "`",
                        "`" + KubeObject.path(spec, "template").get("ttl") + "`");
                assertThat(lines).as("%s: a table row naming %s", doc.getFileName(), cells)
                        .anySatisfy(line -> assertThat(line).startsWith("|").contains(cells));
            }
        }
    }

    /** The chart's Application installs the velero.io CRDs (wave 0); our custom resources follow. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void veleroResourcesSyncAfterTheChartThatInstallsTheirCrds(String env) {
        List<KubeObject> own = renders.objects(env).stream().filter(o -> o.apiVersion().startsWith("velero.io/")).toList();

        assertThat(own).hasSizeGreaterThanOrEqualTo(2).allSatisfy(o -> assertThat(o.annotations()).as(o.describe())
                .containsEntry(WAVE, "1").containsEntry("argocd.argoproj.io/sync-options", "SkipDryRunOnMissingResource=true"));
        if (renders.shippedEnvironments().contains(env)) {
            assertThat(application(env).annotations().get(WAVE)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theNamespaceIsOutsideTheMeshAndPrivilegedForTheNodeAgent(String env) {
        assertThat(renders.object(env, "Namespace", NAMESPACE).labels()).containsEntry("istio-injection", "disabled")
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged")
                .containsEntry("pod-security.kubernetes.io/warn", "baseline");
        assertThat(renders.objects(env)).filteredOn(o -> !"Namespace".equals(o.kind()) && !"Application".equals(o.kind()))
                .allSatisfy(o -> assertThat(o.namespace()).as(o.describe()).isEqualTo(NAMESPACE));
    }

    /**
     * The monitors select what chart 12.1.0 renders for release `velero` without name overrides: the Service `velero`
     * (labels app.kubernetes.io/name and instance = velero, port http-monitoring) and the node-agent pods (label
     * name=node-agent); the chart's own monitors stay off so nothing is scraped twice.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theMonitorsSelectTheChartsServiceAndNodeAgentPods(String env) {
        Map<String, Object> metrics = KubeObject.path(values(env), "metrics");
        Map<String, Object> server = KubeObject.path(renders.object(env, "ServiceMonitor", "velero").body(), "spec");
        Map<String, Object> agents = KubeObject.path(renders.object(env, "PodMonitor", "node-agent").body(), "spec");

        assertThat(values(env)).doesNotContainKeys("nameOverride", "fullnameOverride");
        assertThat(metrics).containsEntry("enabled", true);
        for (String own : List.of("serviceMonitor", "nodeAgentPodMonitor", "prometheusRule")) {
            assertThat(KubeObject.path(metrics, own)).as(own).containsEntry("enabled", false);
        }
        assertThat(KubeObject.path(server, "selector", "matchLabels"))
                .isEqualTo(Map.of("app.kubernetes.io/name", "velero", "app.kubernetes.io/instance", "velero"));
        assertThat(KubeObject.map(KubeObject.list(server.get("endpoints")).get(0))).containsEntry("port", "http-monitoring");
        assertThat(KubeObject.path(agents, "selector", "matchLabels"))
                .isEqualTo(Map.of("name", "node-agent", "app.kubernetes.io/instance", "velero"));
        assertThat(KubeObject.map(KubeObject.list(agents.get("podMetricsEndpoints")).get(0)))
                .containsEntry("port", "http-monitoring");
    }

    /** Velero's restore helper (an init container in restored pods) runs the server's own image, pinned. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theRestoreHelperRunsTheServersImage(String env) {
        KubeObject config = renders.object(env, "ConfigMap", "fs-restore-action-config");
        Map<String, Object> data = KubeObject.path(config.body(), "data");

        assertThat(config.labels()).containsEntry("velero.io/plugin-config", "")
                .containsEntry("velero.io/pod-volume-restore", "RestoreItemAction");
        assertThat(data).containsEntry("image", serverImage(env));
        Map<String, Object> securityContext = Yaml.readMap(KubeObject.string(data.get("secCtx")), "secCtx");
        assertThat(securityContext).containsEntry("allowPrivilegeEscalation", false).doesNotContainKey("runAsNonRoot");
    }

    /**
     * Velero runs outside the mesh and speaks plain HTTP to the object store, which must therefore accept clients
     * outside the mesh on the S3 port: unmeshed, or (meshed) PERMISSIVE mTLS on port 7070 and an ALLOW rule for
     * sources without a mesh identity on that port. Checked on backup/object-store's k3d render once it is in the
     * repository.
     */
    @Test
    void theObjectStoreAcceptsVeleroFromOutsideTheMesh(@TempDir Path work) {
        Path store = REPOSITORY.resolve("backup/object-store");
        if (!Files.isDirectory(store.resolve("manifests"))) {
            String why = "NOT VERIFIED: backup/object-store is not in this repository yet; the object store must take plain"
                    + " HTTP from the unmeshed velero namespace";
            System.out.println("[velero] " + why);
            Assumptions.abort(why);
        }
        Path overlay = Files.isDirectory(store.resolve("manifests/k3d")) ? store.resolve("manifests/k3d")
                : store.resolve("manifests/base");
        List<KubeObject> objects = Kustomize.locate().build("object-store", store, overlay, work);
        KubeObject namespace = objects.stream().filter(o -> "Namespace".equals(o.kind()) && "object-store".equals(o.name()))
                .findFirst().orElseThrow(() -> new AssertionError("backup/object-store declares no Namespace object-store"));
        if (!"enabled".equals(namespace.labels().get("istio-injection"))) {
            return;
        }
        assertThat(objects).filteredOn(o -> "PeerAuthentication".equals(o.kind()))
                .as("meshed object-store: a PeerAuthentication lets plain text in on the S3 port")
                .anySatisfy(o -> assertThat(s3PortMode(KubeObject.path(o.body(), "spec"))).isEqualTo("PERMISSIVE"));
        assertThat(objects).filteredOn(o -> "AuthorizationPolicy".equals(o.kind()))
                .as("meshed object-store: an ALLOW rule for sources without a mesh identity on the S3 port")
                .anySatisfy(o -> assertThat(allowsPlainTextOnS3Port(KubeObject.path(o.body(), "spec"))).isTrue());
    }

    private static String s3PortMode(Map<String, Object> spec) {
        Map<String, Object> port = KubeObject.path(spec, "portLevelMtls", "7070");
        return KubeObject.string(port.isEmpty() ? KubeObject.path(spec, "mtls").get("mode") : port.get("mode"));
    }

    private static boolean allowsPlainTextOnS3Port(Map<String, Object> spec) {
        if (!"ALLOW".equals(spec.getOrDefault("action", "ALLOW"))) {
            return false;
        }
        for (Object rule : KubeObject.list(spec.get("rules"))) {
            Map<String, Object> r = KubeObject.map(rule);
            boolean plainText = KubeObject.list(r.get("from")).stream()
                    .map(f -> KubeObject.path(KubeObject.map(f), "source"))
                    .anyMatch(source -> List.of("*").equals(source.get("notPrincipals")));
            boolean s3Port = KubeObject.list(r.get("to")).stream()
                    .map(t -> KubeObject.path(KubeObject.map(t), "operation"))
                    .anyMatch(op -> KubeObject.list(op.get("ports")).contains("7070"));
            if (plainText && s3Port) {
                return true;
            }
        }
        return false;
    }

    /**
     * The chart's own render of our values (hydrate), where the pinned chart is in charts.sh's cache: exactly
     * bundle.yaml's images, the credentials mounted where the AWS plugin reads them, no location, no Job, and the
     * labels and ports our monitors select.
     */
    @Test
    void theChartRendersWhatTheValuesIntend(@TempDir Path work) {
        Path chart = ReleaseHarness.cacheDirectory("charts", "charts.sh").resolve("velero/" + CHART_VERSION);
        if (!Files.isDirectory(chart)) {
            String why = "NOT VERIFIED: chart velero " + CHART_VERSION + " is not in " + chart + " (charts.sh cannot"
                    + " obtain it here, it says why); the values are checked against the chart's templates as read";
            System.out.println("[velero] " + why);
            Assumptions.abort(why);
        }
        HydratedBundle hydrated = new Hydrator(ChartSource.directory(chart), BundleLog.SILENT)
                .hydrate(Bundle.load(renders.bundleDir()), work);
        for (String env : renders.shippedEnvironments()) {
            List<KubeObject> objects = hydrated.objects(env);
            ChartSpec spec = Bundle.load(renders.bundleDir()).descriptor().charts().get(0);

            assertThat(Set.copyOf(PodSpecs.images(objects))).as("%s: the images the chart runs", env)
                    .isEqualTo(Set.copyOf(spec.images()));
            assertThat(objects).extracting(KubeObject::kind).as(env)
                    .doesNotContain("BackupStorageLocation", "VolumeSnapshotLocation", "Schedule", "Job", "Secret");
            assertThat(objects).filteredOn(o -> "CustomResourceDefinition".equals(o.kind())).extracting(KubeObject::name)
                    .contains("backupstoragelocations.velero.io", "schedules.velero.io");
            for (KubeObject workload : List.of(find(objects, "Deployment", "velero"), find(objects, "DaemonSet", "node-agent"))) {
                Map<String, Object> pod = PodSpecs.of(workload);
                Map<String, Object> container = PodSpecs.containers(pod).get(0);
                assertThat(KubeObject.list(pod.get("volumes"))).as(workload.describe())
                        .contains(Map.of("name", "cloud-credentials", "secret", Map.of("secretName", CREDENTIALS)));
                assertThat(KubeObject.list(container.get("volumeMounts"))).as(workload.describe())
                        .contains(Map.of("name", "cloud-credentials", "mountPath", "/credentials"));
                assertThat(KubeObject.list(container.get("env"))).as(workload.describe())
                        .contains(Map.of("name", "AWS_SHARED_CREDENTIALS_FILE", "value", "/credentials/" + CREDENTIALS_KEY));
                assertThat(KubeObject.list(container.get("ports"))).as(workload.describe())
                        .contains(Map.of("name", "http-monitoring", "containerPort", 8085));
            }
            List<Object> args = KubeObject.list(PodSpecs.containers(PodSpecs.of(find(objects, "Deployment", "velero")))
                    .get(0).get("args"));
            assertThat(args).contains("--uploader-type=kopia").doesNotContain("--default-volumes-to-fs-backup");

            KubeObject service = find(objects, "Service", "velero");
            assertThat(service.labels()).containsAllEntriesOf(KubeObject.map(KubeObject.path(
                    renders.object(env, "ServiceMonitor", "velero").body(), "spec", "selector").get("matchLabels")));
            assertThat(KubeObject.list(KubeObject.path(service.body(), "spec").get("ports")))
                    .extracting(p -> KubeObject.map(p).get("name")).contains("http-monitoring");
            Map<String, Object> agentPodLabels = KubeObject.path(find(objects, "DaemonSet", "node-agent").body(),
                    "spec", "template", "metadata", "labels");
            assertThat(agentPodLabels).containsAllEntriesOf(KubeObject.map(KubeObject.path(
                    renders.object(env, "PodMonitor", "node-agent").body(), "spec", "selector").get("matchLabels")));
        }
    }

    // --- helpers ---

    private KubeObject application(String env) {
        return renders.output().object(env, "Application", APPLICATION);
    }

    /** The merged values of an environment: k3d's from its Application; k3s's merged as the build will merge them. */
    private Map<String, Object> values(String env) {
        if (renders.shippedEnvironments().contains(env)) {
            return KubeObject.path(application(env).body(), "spec", "source", "helm", "valuesObject");
        }
        Bundle bundle = Bundle.load(renders.bundleDir());
        return new ChartApplications().values(bundle, bundle.descriptor().charts().get(0), env);
    }

    private static KubeObject find(List<KubeObject> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.kind()) && name.equals(o.name())).findFirst()
                .orElseThrow(() -> new AssertionError("the chart renders no " + kind + " " + name));
    }

    private String serverImage(String env) {
        Map<String, Object> image = KubeObject.path(values(env), "image");
        return image.get("repository") + ":" + image.get("tag");
    }

    /** Go's time.ParseDuration for what a TTL uses: h, m, s (e.g. 336h0m0s). */
    static Duration goDuration(String text) {
        if (text == null || !text.matches("(\\d+(h|m|s))+")) {
            throw new AssertionError("'" + text + "' is not a Go duration of hours, minutes and seconds");
        }
        Duration total = Duration.ZERO;
        Matcher part = Pattern.compile("(\\d+)(h|m|s)").matcher(text);
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
        }
        return total;
    }

    /** The namespaces every bundle.yaml of the repository declares. */
    private static Set<String> declaredNamespaces() {
        Set<String> namespaces = new TreeSet<>();
        for (Path bundle : RepositoryBundles.all(REPOSITORY)) {
            namespaces.addAll(Bundle.load(bundle).descriptor().namespaces());
        }
        return namespaces;
    }
}
