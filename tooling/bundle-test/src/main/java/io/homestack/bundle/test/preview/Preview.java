package io.homestack.bundle.test.preview;

import io.homestack.bundle.mirror.MirrorReport;
import io.homestack.bundle.oci.RegistryProcess;
import io.homestack.bundle.render.ExternalTool;
import io.homestack.bundle.test.ArgoCdApplications;
import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.internal.ClusterPlan;
import io.homestack.bundle.test.internal.Clusters;
import io.homestack.bundle.test.internal.Settings;
import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.bundle.test.release.ReleaseHarness;
import io.homestack.bundle.test.release.ReleaseModule;
import io.homestack.testsupport.TestTools;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make preview}: what Argo CD does with the release being built, without a cluster. Starts a local registry
 * and the envtest control plane with Argo CD and cert-manager SIMULATED (as the test kit does for a class requiring
 * ARGOCD and CERT_MANAGER, like the release E2E), runs the release
 * harness ({@link ReleaseHarness}: push, mirror, root Application), prints the progress, the timeline and every
 * Application's state, writes a kubeconfig and stays up until SIGTERM or Ctrl-C, which stop every process it started.
 *
 * <p>Arguments: the release module (default {@code clusters/k3d}) and the state directory (default {@code .preview}).
 */
public final class Preview {

    /** The line {@code scripts/preview.sh} waits for. */
    static final String READY = "[preview] READY";
    private static final Duration QUIET = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private static volatile boolean stopping;

    private final ReleaseModule release;
    private final Path dir;
    private volatile RegistryProcess registry;

    private Preview(ReleaseModule release, Path dir) {
        this.release = release;
        this.dir = dir;
    }

    public static void main(String[] args) throws InterruptedException {
        try {
            Path repo = TestBinaries.repoRoot();
            Path dir = (args.length > 1 ? Path.of(args[1]) : repo.resolve(".preview")).toAbsolutePath();
            new Preview(ReleaseModule.of(repo, args.length > 0 ? args[0] : "clusters/k3d"), dir).start();
        } catch (RuntimeException e) {
            if (stopping) { // SIGTERM or Ctrl-C while starting: the shutdown hook stops everything and says so
                return;
            }
            boolean tool = e instanceof TestAbortedException; // a missing tool (TestTools, outside CI)
            System.err.println("[preview] FAILED: " + (tool ? e.getMessage() : e));
            if (!tool) {
                e.printStackTrace();
            }
            System.exit(1); // the shutdown hook stops what had started
        }
        new CountDownLatch(1).await();
    }

    private void start() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "preview-stop"));
        if (Settings.WORK_DIR.value().isEmpty()) {
            System.setProperty(Settings.WORK_DIR.property(), dir.resolve("envtest").toString());
        }
        Path binary = ExternalTool.onPath("docker-registry").orElseThrow(() -> new IllegalStateException(
                "docker-registry not found on the PATH: apt-get install docker-registry (or " + TestTools.HOW_TO_INSTALL + ")"));
        System.out.println("[preview] starting the envtest control plane with Argo CD (topology " + release.environment() + ")");
        TestCluster cluster = Clusters.acquire(ClusterPlan.of(ClusterKind.ENVTEST, release.environment(), false, true, true));
        // In the cluster's run directory: if this JVM is killed (-9), the next start stops it with the cluster's processes.
        Path runDir = cluster.logDir().orElseThrow().getParent();
        registry = RegistryProcess.start(binary, runDir.resolve("registry"), "");
        System.out.println("[preview] registry (docker-registry) on " + registry.address());

        ReleaseHarness harness = new ReleaseHarness(release, registry.address(), dir);
        System.out.println("[preview] pushing every bundle and " + release.name() + " to " + registry.address()
                + "/" + ReleaseHarness.PREFIX);
        String digest = harness.push();
        MirrorReport mirror = harness.mirror(digest);
        PreviewReport report = new PreviewReport(System.out);
        report.mirror(mirror);

        ArgoCdApplications apps = ArgoCdApplications.on(cluster);
        harness.applyRoot(cluster, release.name(), mirror.release().digest());
        System.out.println("[preview] root Application " + release.name() + " applied: " + mirror.release().to());
        new SyncWatch(apps, System.out).awaitSettled(QUIET, TIMEOUT);
        report.result(apps, release.waves(), release.name());

        Path kubeconfig = writeKubeconfig(cluster.kubeconfig());
        System.out.println("[preview] Argo CD keeps syncing; logs in " + cluster.logDir().orElse(dir));
        System.out.println("[preview] explore: kubectl --kubeconfig " + kubeconfig + " get applications -n argocd");
        System.out.println("[preview]          kubectl --kubeconfig " + kubeconfig + " describe application "
                + release.name() + " -n argocd");
        System.out.println(READY + " (pid " + ProcessHandle.current().pid() + "); stop it with: make preview-down");
    }

    private Path writeKubeconfig(Path from) {
        Path to = dir.resolve("kubeconfig");
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + to, e);
        }
    }

    /** Stops the cluster (every process of its group) and the registry; the kubeconfig goes with them. */
    private void stop() {
        stopping = true;
        System.out.println("[preview] stopping");
        Clusters.stopAll();
        if (registry != null) {
            registry.close();
        }
        try {
            Files.deleteIfExists(dir.resolve("kubeconfig"));
        } catch (IOException e) {
            System.err.println("[preview] cannot delete " + dir.resolve("kubeconfig") + ": " + e);
        }
        System.out.println("[preview] stopped");
    }
}
