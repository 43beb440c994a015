package io.homestack.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.engine.ServiceProxy;
import io.homestack.bundle.test.engine.Velero;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Velero's backup and restore of a namespace with the real Velero server (Velero v1.18.3 and velero-plugin-for-aws,
 * the versions backup/velero deploys) run beside the cluster, storing into backup/object-store's versitygw: the
 * BackupStorageLocation, its credentials and the Schedules are backup/velero's render as applied; the S3 address in it
 * (the object store's Service) reaches the local versitygw through a {@link ServiceProxy}, as kube-proxy would carry it.
 */
final class VeleroRoundTrip implements AutoCloseable {

    static final String NAMESPACE = "velero";
    private static final Duration WAIT = Duration.ofSeconds(180);

    private final TestCluster cluster;
    private final ObjectStore store;
    private final ServiceProxy proxy;
    private final Velero.Server server;

    private VeleroRoundTrip(TestCluster cluster, ObjectStore store, ServiceProxy proxy, Velero.Server server) {
        this.cluster = cluster;
        this.store = store;
        this.proxy = proxy;
        this.server = server;
    }

    /** The object store provisioned from its render and Velero started; its default location must become Available. */
    static VeleroRoundTrip start(TestCluster cluster, BundleOutput objectStore, String veleroImage, String environment,
                                 Path work) {
        standInForTheChartsDeployment(cluster, veleroImage);
        ObjectStore store = ObjectStore.start(cluster, objectStore, environment, work.resolve("object-store"));
        ServiceProxy proxy = new ServiceProxy(Map.of(ObjectStore.SERVICE, store.port()));
        Velero.Server server;
        try {
            server = Velero.locate().start(cluster.kubeconfig(), NAMESPACE, work.resolve("velero"),
                    Map.of("HTTP_PROXY", proxy.url(), "http_proxy", proxy.url()));
        } catch (RuntimeException e) {
            proxy.close();
            store.close();
            throw e;
        }
        VeleroRoundTrip trip = new VeleroRoundTrip(cluster, store, proxy, server);
        trip.await("BackupStorageLocation", "default", s -> "Available".equals(phase(s)),
                "the default BackupStorageLocation Available");
        return trip;
    }

    /**
     * Beside the Velero server the kit runs with Argo CD (envtest's VeleroController): the object store provisioned from
     * its render and announced on its Service (the kit's proxy reads {@link ServiceProxy#LOCAL_PORT}); its default
     * location must become Available.
     */
    static VeleroRoundTrip besideTheKitsVelero(TestCluster cluster, BundleOutput objectStore, String veleroImage,
                                               String environment, Path work) {
        standInForTheChartsDeployment(cluster, veleroImage);
        ObjectStore store = ObjectStore.start(cluster, objectStore, environment, work.resolve("object-store"));
        cluster.client().services().inNamespace(ObjectStore.NAMESPACE).withName(ObjectStore.SERVICE.split("\\.")[0])
                .edit(s -> {
                    Map<String, String> annotations = new LinkedHashMap<>(s.getMetadata().getAnnotations() == null
                            ? Map.of() : s.getMetadata().getAnnotations());
                    annotations.put(ServiceProxy.LOCAL_PORT, String.valueOf(store.port()));
                    s.getMetadata().setAnnotations(annotations);
                    return s;
                });
        VeleroRoundTrip trip = new VeleroRoundTrip(cluster, store, null, null);
        trip.await("BackupStorageLocation", "default", s -> "Available".equals(phase(s)),
                "the default BackupStorageLocation Available");
        return trip;
    }

    /** The server image backup/velero runs: its chart Application's values (image.repository:image.tag). */
    static String serverImage(BundleOutput velero, String environment) {
        KubeObject app = velero.object(environment, "Application", "velero-velero");
        Map<String, Object> image = KubeObject.path(app.body(), "spec", "source", "helm", "valuesObject", "image");
        if (image.get("repository") == null || image.get("tag") == null) {
            throw new AssertionError(app.describe() + " sets no image.repository/image.tag in its values");
        }
        return image.get("repository") + ":" + image.get("tag");
    }

    /**
     * The velero chart's Deployment (its name is fixed: velero) with the image the bundle runs, replicas 0: the server
     * here is a local process, but Velero reads its own Deployment's image for the restore helper it injects into
     * restored pods (pod-volume restore action), and fails every restore with pods when that Deployment is missing.
     */
    private static void standInForTheChartsDeployment(TestCluster cluster, String image) {
        cluster.client().apps().deployments().inNamespace(NAMESPACE).resource(new DeploymentBuilder()
                .withNewMetadata().withName("velero").withNamespace(NAMESPACE)
                .addToLabels("homestack.io/test-stand-in", "velero-chart-deployment").endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("name", "velero").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("name", "velero").endMetadata()
                .withNewSpec().addNewContainer().withName("velero").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build()).serverSideApply();
    }

    MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> velero(
            String kind) {
        return cluster.client().genericKubernetesResources("velero.io/v1", kind);
    }

    /** Creates a velero.io/v1 object of {@code kind} in Velero's namespace. */
    private void create(String kind, String name, Map<String, Object> spec) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion("velero.io/v1");
        object.setKind(kind);
        object.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        object.setAdditionalProperty("spec", spec);
        velero(kind).inNamespace(NAMESPACE).resource(object).create();
    }

    /** A Backup made from the bundle's Schedule {@code schedule}'s template (what the schedule would run now). */
    GenericKubernetesResource backupFromSchedule(String schedule, String name, Map<String, Object> overrides) {
        GenericKubernetesResource s = velero("Schedule").inNamespace(NAMESPACE).withName(schedule).get();
        if (s == null) {
            throw new AssertionError("no Schedule " + NAMESPACE + "/" + schedule + " (backup/velero's render)");
        }
        Map<String, Object> spec = new LinkedHashMap<>(KubeObject.path(s.getAdditionalProperties(), "spec", "template"));
        spec.putAll(overrides);
        create("Backup", name, spec);
        return await("Backup", name, VeleroRoundTrip::finished, "Backup " + name + " finished");
    }

    /** Restores {@code backup} with extra spec fields (namespaceMapping, existingResourcePolicy, ...). */
    GenericKubernetesResource restore(String backup, String name, Map<String, Object> spec) {
        Map<String, Object> all = new LinkedHashMap<>(spec);
        all.put("backupName", backup);
        create("Restore", name, all);
        return await("Restore", name, VeleroRoundTrip::finished, "Restore " + name + " finished");
    }

    /**
     * Another BackupStorageLocation like the bundle's {@code default} but for {@code bucket} and the credentials file
     * {@code credentials} (a Secret of that name is written, key cloud): for the fault cases.
     */
    GenericKubernetesResource location(String name, String bucket, String credentials) {
        GenericKubernetesResource base = velero("BackupStorageLocation").inNamespace(NAMESPACE).withName("default").get();
        Map<String, Object> spec = new LinkedHashMap<>(KubeObject.path(base.getAdditionalProperties(), "spec"));
        spec.put("default", false);
        spec.put("objectStorage", Map.of("bucket", bucket));
        spec.put("credential", Map.of("name", name, "key", "cloud"));
        cluster.client().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .addToStringData("cloud", credentials).build()).serverSideApply();
        create("BackupStorageLocation", name, spec);
        return await("BackupStorageLocation", name, l -> phase(l) != null, "BackupStorageLocation " + name + " validated");
    }

    /** A Backup of {@code namespaces} to {@code location}, waited for until it has finished. */
    GenericKubernetesResource backup(String name, String location, List<String> namespaces) {
        create("Backup", name, Map.of("storageLocation", location, "includedNamespaces", namespaces,
                "snapshotVolumes", false, "defaultVolumesToFsBackup", false));
        return await("Backup", name, VeleroRoundTrip::finished, "Backup " + name + " finished");
    }

    /** The object store stops (its process ends); the Service address then answers 502 with the reason. */
    void stopObjectStore() {
        store.close();
    }

    /** The finished Backup or Restore, when Completed; else fails with Velero's own account of it ({@link #describe}). */
    GenericKubernetesResource completed(GenericKubernetesResource r) {
        if (!"Completed".equals(phase(r))) {
            throw new AssertionError(r.getKind() + " " + r.getMetadata().getName() + " is " + phase(r) + ", not Completed:\n"
                    + describe(r.getKind(), r.getMetadata().getName()));
        }
        return r;
    }

    /** Velero's own account of a backup or restore (its warnings and errors per object), for failure messages. */
    String describe(String kind, String name) {
        if (server == null) {
            var r = velero(kind).inNamespace(NAMESPACE).withName(name).get();
            return kind + " " + name + " status: " + (r == null ? "(none)" : status(r));
        }
        return server.cli(kind.toLowerCase(), "describe", name, "--details", "--colorized=false");
    }

    static String phase(GenericKubernetesResource r) {
        return r == null ? null : KubeObject.string(KubeObject.path(r.getAdditionalProperties(), "status").get("phase"));
    }

    static boolean finished(GenericKubernetesResource r) {
        String phase = phase(r);
        return phase != null && Set.of("Completed", "PartiallyFailed", "Failed", "FailedValidation").contains(phase);
    }

    static Map<String, Object> status(GenericKubernetesResource r) {
        return KubeObject.path(r.getAdditionalProperties(), "status");
    }

    private GenericKubernetesResource await(String kind, String name, Predicate<GenericKubernetesResource> done,
                                            String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        GenericKubernetesResource r = null;
        while (System.nanoTime() < deadline) {
            r = velero(kind).inNamespace(NAMESPACE).withName(name).get();
            if (r != null && done.test(r)) {
                return r;
            }
            if (server != null && !server.alive()) {
                throw new AssertionError("Velero stopped while waiting for " + what + ": " + server.report());
            }
            sleep(250);
        }
        throw new AssertionError("no " + what + " within " + WAIT.toSeconds() + " s; " + kind + " status: "
                + (r == null ? "(none)" : status(r)) + "\nVelero: " + (server == null ? "the kit's" : server.report()));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String provisionOutput() {
        return store.provisionOutput();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            proxy.close();
        }
        store.close();
    }
}
