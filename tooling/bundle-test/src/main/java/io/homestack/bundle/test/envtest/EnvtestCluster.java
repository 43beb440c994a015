package io.homestack.bundle.test.envtest;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.test.Topology;
import io.homestack.bundle.test.internal.BaseCluster;
import io.homestack.bundle.test.internal.ClusterPlan;
import io.homestack.bundle.test.internal.Crds;
import io.homestack.bundle.test.internal.Settings;
import io.homestack.bundle.test.internal.TestBinaries;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The envtest control plane: etcd and kube-apiserver, plus (unless {@code -Dhomestack.envtest.components=api})
 * kube-controller-manager, kube-scheduler and kwok with one fake node per node of the topology, and the
 * {@link NativeController}s, all as local processes on loopback with free ports, their logs in
 * {@code target/homestack-envtest/<run>/logs/}. This class only composes the parts: {@link EnvtestBinaries},
 * {@link ControlPlane} (with {@link Kubeconfig}), {@link Snapshot}, {@link NodeComponents}, {@link FakeNodes} and
 * the controllers, all in one {@link ProcessGroup}.
 */
public final class EnvtestCluster extends BaseCluster {

    private final Topology topology;
    private final TestBinaries binaries;
    private final Path runDir;
    private final Path binDir;
    private final ProcessGroup processes;
    private final ControlPlane controlPlane;
    private final List<NativeController> controllers = new ArrayList<>();
    /** Only for test classes that require CERT_MANAGER; the API server's flags depend on it, so made first. */
    private final CertManagerSimulation certManager;
    private final Timings timings = new Timings();

    private EnvtestCluster(ClusterPlan plan, Topology topology, TestBinaries binaries, Path binDir) {
        super(plan);
        this.topology = topology;
        this.binaries = binaries;
        this.binDir = binDir;
        this.runDir = RunDirectory.create(topology.name());
        this.processes = new ProcessGroup(runDir.resolve("logs"));
        this.certManager = plan.certManager() ? new CertManagerSimulation(shortTempDir()) : null;
        this.controlPlane = new ControlPlane(runDir, binDir, processes, plan.apiOnly(),
                certManager == null ? List.of() : certManager.apiServerFlags());
    }

    /** A directory for Unix sockets, whose paths may have at most 107 bytes (the run directory's may be longer). */
    private static Path shortTempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("homestack-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /** Starts everything and installs the upstream CRDs; on failure stops what started and says why. */
    public static EnvtestCluster start(ClusterPlan plan, Topology topology, TestBinaries binaries, boolean installCrds) {
        long t0 = System.nanoTime();
        EnvtestCluster cluster = new EnvtestCluster(plan, topology, binaries, EnvtestBinaries.locate(plan, binaries));
        try {
            cluster.startControlPlane(installCrds);
            if (!plan.apiOnly()) {
                cluster.startNodesAndControllers();
            }
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        cluster.timings.total(System.nanoTime() - t0);
        System.out.println("[homestack] " + cluster.description() + " ready in " + cluster.timingSummary()
                + "; logs in " + cluster.runDir.resolve("logs"));
        return cluster;
    }

    /**
     * How long one start step may take at most. Every wait polls readiness and fails at once when a process exits, so
     * this only bounds a hang; it is generous because a loaded CI machine is slow, not broken.
     */
    private static Duration stepTimeout() {
        return Settings.ENVTEST_START_TIMEOUT.seconds(180);
    }

    /**
     * etcd and kube-apiserver with the upstream CRDs: restored from the snapshot when there is one; else started
     * empty, given the CRDs, stopped, saved as the snapshot and started again on the same data.
     */
    private void startControlPlane(boolean installCrds) {
        if (!installCrds) {
            timings.time("certificates", controlPlane::newCertificates);
            timings.time("etcd + apiserver", () -> controlPlane.start(false, stepTimeout()));
            return;
        }
        Snapshot snapshot = Snapshot.forVersions(binaries);
        if (snapshot.usable()) {
            timings.time("CRD snapshot restored", () -> snapshot.restoreInto(controlPlane.etcdData(), controlPlane.pki()));
            timings.time("etcd + apiserver (restored)", () -> controlPlane.start(true, stepTimeout()));
            return;
        }
        timings.time("certificates", controlPlane::newCertificates);
        timings.time("etcd + apiserver", () -> controlPlane.start(false, stepTimeout()));
        timings.time("CRDs installed and snapshot saved (first start only)", () -> {
            Crds.install(controlPlane.client(), Crds.fromCache(binaries), stepTimeout().multipliedBy(2));
            processes.stopAll();
            try {
                snapshot.save(controlPlane.etcdData(), controlPlane.pki());
                System.out.println("[homestack] saved the envtest CRD snapshot " + snapshot.dir() + ": later starts restore it");
            } catch (RuntimeException e) {
                System.err.println("[homestack] could not save the envtest CRD snapshot (next starts will install the CRDs"
                        + " again): " + e.getMessage());
            }
        });
        timings.time("etcd + apiserver (restored)", () -> controlPlane.start(true, stepTimeout()));
    }

    /**
     * The node components, the fake nodes of the topology, then the native controllers; waits until all of them work.
     * The node components start only once the API server is ready: kube-controller-manager gives up after waiting
     * 10 s for a healthy API server, which a loaded machine does not always have that soon (EnvtestUnderLoadIT).
     */
    private void startNodesAndControllers() {
        NodeComponents.launch(processes, binDir, controlPlane.kubeconfig(), controlPlane.pki());
        timings.time("nodes created", () -> FakeNodes.create(client(), topology, binaries.kubernetesVersion(),
                binaries.version("KWOK_VERSION")));
        ControllerContext context = new ControllerContext(client(), kubeconfig(), binDir, binaries.repo(), runDir, processes);
        List<NativeController> all = new ArrayList<>(NativeController.all(plan.argocd()));
        if (certManager != null) {
            all.add(0, certManager);
        }
        timings.time("controllers started", () -> all.forEach(c -> {
            controllers.add(c);
            c.start(context);
        }));
        timings.time("nodes ready", () -> FakeNodes.awaitReady(client(), topology, processes, stepTimeout()));
        timings.time("controllers ready", () -> controllers.forEach(c -> c.awaitReady(stepTimeout())));
    }

    @Override
    public String description() {
        return "envtest (topology " + topology.name() + (plan.apiOnly() ? ", API only" : "")
                + (plan.argocd() ? ", with Argo CD" : "") + (plan.certManager() ? ", cert-manager SIMULATED" : "")
                + ", https://127.0.0.1:"
                + controlPlane.port() + ")";
    }

    @Override
    public KubernetesClient client() {
        return controlPlane.client();
    }

    @Override
    public Optional<Topology> topology() {
        return Optional.of(topology);
    }

    @Override
    public Path kubeconfig() {
        return controlPlane.kubeconfig();
    }

    @Override
    public Optional<Path> logDir() {
        return Optional.of(runDir.resolve("logs"));
    }

    /** Start time per step, e.g. "7.9 s (certificates 0.4 s, etcd + apiserver 5.1 s, ...)". */
    public String timingSummary() {
        return timings.toString();
    }

    public Duration startTime() {
        return timings.total();
    }

    /** The pids of the processes (for the kit's own tests). */
    public List<Long> pids() {
        return processes.pids();
    }

    /** The running cert-manager simulation (for the kit's own tests). */
    CertManagerSimulation certManagerSimulation() {
        if (certManager == null || !controllers.contains(certManager)) {
            throw new IllegalStateException("this cluster runs no cert-manager simulation");
        }
        return certManager;
    }

    /** The port the API server listens on (for the kit's own tests). */
    public int apiServerPort() {
        return controlPlane.port();
    }

    /** Stops the controllers (last started first), then the control plane; deletes etcd's data. */
    @Override
    public synchronized void close() {
        closeClients();
        for (int i = controllers.size() - 1; i >= 0; i--) {
            try {
                controllers.get(i).close();
            } catch (RuntimeException e) {
                System.err.println("[homestack] stopping " + controllers.get(i).name() + ": " + e);
            }
        }
        controllers.clear();
        if (certManager != null) {
            certManager.close(); // also when it never started: its temporary directory
        }
        controlPlane.close();
        processes.stopAll();
        AtomicDirectory.deleteQuietly(controlPlane.etcdData());
    }
}
