package io.homestack.bundle.test.internal;

import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.Topology;
import io.homestack.bundle.test.envtest.EnvtestCluster;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The clusters of this JVM: each started once, on first use, shared by every test class that asks for the same one,
 * stopped at the end of the test run (and by a shutdown hook if the JVM ends otherwise). A start skipped for a
 * missing tool ({@link TestAbortedException}, outside CI) is remembered: every later class is skipped with the same
 * reason without trying again. A start that failed is not remembered here: the next test class tries once more
 * (the extension keeps the failure for the rest of its own class), so one transient failure costs one class.
 */
public final class Clusters {

    private static final Map<String, BaseCluster> STARTED = new LinkedHashMap<>();
    private static final Map<String, String> SKIPPED = new LinkedHashMap<>();
    private static final Function<ClusterPlan, BaseCluster> REAL_START = Clusters::start;
    private static Function<ClusterPlan, BaseCluster> starter = REAL_START;
    private static ClusterKind defaultKind;
    private static boolean hookInstalled;

    private Clusters() {
    }

    /** What a test class with this annotation topology ("" for the default) gets. */
    public static ClusterPlan plan(String topology) {
        return plan(topology, false);
    }

    /** @param argocd the test class requires {@link io.homestack.bundle.test.Capability#ARGOCD} */
    public static ClusterPlan plan(String topology, boolean argocd) {
        return plan(topology, argocd, false);
    }

    /** @param certManager the test class requires {@link io.homestack.bundle.test.Capability#CERT_MANAGER} */
    public static ClusterPlan plan(String topology, boolean argocd, boolean certManager) {
        ClusterKind kind = kind(K3sCluster::dockerAvailable);
        String t = topology == null || topology.isBlank() ? Settings.TOPOLOGY.value(Topology.K3D) : topology;
        return ClusterPlan.of(kind, t, apiOnly(), argocd, certManager);
    }

    /** homestack.cluster / HOMESTACK_CLUSTER, else k3s where a Docker engine answers (asked once), else envtest. */
    static ClusterKind kind(BooleanSupplier dockerAvailable) {
        return Settings.CLUSTER.value().map(ClusterKind::of).orElseGet(() -> defaultKind(dockerAvailable));
    }

    private static synchronized ClusterKind defaultKind(BooleanSupplier dockerAvailable) {
        if (defaultKind == null) {
            defaultKind = dockerAvailable.getAsBoolean() ? ClusterKind.K3S : ClusterKind.ENVTEST;
        }
        return defaultKind;
    }

    /** For the kit's tests: forget the Docker answer. */
    static synchronized void forgetDefaultKind() {
        defaultKind = null;
    }

    static boolean apiOnly() {
        String components = Settings.ENVTEST_COMPONENTS.value("all").toLowerCase(Locale.ROOT);
        return switch (components) {
            case "all" -> false;
            case "api" -> true;
            default -> throw new IllegalArgumentException(Settings.ENVTEST_COMPONENTS.describe() + " must be all or api, got "
                    + components);
        };
    }

    /**
     * The started cluster for the plan, starting it if it is the first to ask (or if the last start failed).
     *
     * @throws TestAbortedException when the cluster cannot start for a missing tool outside CI, now or earlier
     */
    public static synchronized BaseCluster acquire(ClusterPlan plan) {
        BaseCluster cluster = STARTED.get(plan.key());
        if (cluster != null) {
            return cluster;
        }
        String skipped = SKIPPED.get(plan.key());
        if (skipped != null) {
            throw new TestAbortedException(skipped);
        }
        installShutdownHook();
        try {
            cluster = starter.apply(plan);
        } catch (TestAbortedException e) {
            SKIPPED.put(plan.key(), e.getMessage());
            throw e;
        }
        STARTED.put(plan.key(), cluster);
        return cluster;
    }

    /** For the kit's tests: start clusters with this instead of really starting them. */
    static synchronized void startWith(Function<ClusterPlan, BaseCluster> fake) {
        starter = fake;
    }

    /** For the kit's tests: stop everything, forget skips and the Docker answer, start real clusters again. */
    static synchronized void reset() {
        stopAll();
        SKIPPED.clear();
        starter = REAL_START;
        defaultKind = null;
    }

    /** The cluster for the plan if it is running, else null. */
    static synchronized BaseCluster started(ClusterPlan plan) {
        return STARTED.get(plan.key());
    }

    private static BaseCluster start(ClusterPlan plan) {
        TestBinaries binaries = TestBinaries.locate();
        boolean crds = Settings.INSTALL_CRDS.isTrue(plan.kind() != ClusterKind.KUBECONFIG);
        return switch (plan.kind()) {
            case ENVTEST -> EnvtestCluster.start(plan, Topology.named(plan.topology(), binaries.repo()), binaries, crds);
            case K3S -> K3sCluster.start(plan, binaries, crds);
            case KUBECONFIG -> KubeconfigCluster.connect(plan, binaries, crds);
        };
    }

    /** Stops every cluster of this JVM (idempotent). */
    public static synchronized void stopAll() {
        List<BaseCluster> all = new ArrayList<>(STARTED.values());
        Collections.reverse(all);
        STARTED.clear();
        for (BaseCluster cluster : all) {
            try {
                cluster.close();
            } catch (RuntimeException e) {
                System.err.println("[homestack] stopping " + cluster.description() + ": " + e);
            }
        }
    }

    private static void installShutdownHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(Clusters::stopAll, "homestack-cluster-stop"));
            hookInstalled = true;
        }
    }
}
