package io.homestack.bundle.test.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * The skip and start logic: a class that cannot have its cluster is counted as one skipped test per test method with
 * the reason (Surefire counts test events, not classes); a skip is remembered for the run, a failed start is not.
 * Clusters are started by a fake here; the real starts are the ITs'.
 */
class HomestackClusterExtensionTest {

    static final AtomicInteger STARTS = new AtomicInteger();
    static final List<TestCluster> INJECTED = new CopyOnWriteArrayList<>();

    @AfterEach
    void reset() {
        Settings.reset();
        Clusters.reset();
        STARTS.set(0);
        INJECTED.clear();
    }

    @Test
    void aClassNeedingContainersIsSkippedOnEnvtestTestByTestWithTheReasonAndStartsNothing() {
        Settings.override(Map.of("homestack.cluster", "envtest"), Map.of());
        Clusters.startWith(plan -> {
            throw new AssertionError("must not start a cluster for a class that is skipped");
        });

        EngineExecutionResults results = run(NeedsContainers.class);

        results.testEvents().assertStatistics(s -> s.skipped(2).started(0));
        results.testEvents().assertThatEvents().haveExactly(2, event(test(), skippedWithReason(
                "needs running containers; envtest has none (run with -Dhomestack.cluster=k3s or kubeconfig)")));
        results.containerEvents().assertStatistics(s -> s.failed(0).aborted(0));
    }

    @Test
    void anApiOnlyEnvtestSkipsClassesNeedingTheScheduler() {
        Settings.override(Map.of("homestack.cluster", "envtest", "homestack.envtest.components", "api"), Map.of());
        Clusters.startWith(plan -> {
            throw new AssertionError("must not start a cluster for a class that is skipped");
        });
        run(NeedsScheduling.class).testEvents().assertThatEvents().haveExactly(1, event(test("places"),
                skippedWithReason(m -> m.startsWith("needs a scheduler and nodes; envtest runs only kube-apiserver"))));
    }

    @Test
    void aMissingToolSkipsEveryTestOfEveryLaterClassWithTheSameReasonTryingOnce() {
        Settings.override(Map.of("homestack.cluster", "envtest"), Map.of());
        Clusters.startWith(plan -> {
            STARTS.incrementAndGet();
            throw new TestAbortedException("envtest binaries missing in /nowhere");
        });

        EngineExecutionResults first = run(UsesTheCluster.class);
        EngineExecutionResults second = run(AlsoUsesTheCluster.class);

        first.testEvents().assertStatistics(s -> s.skipped(2).started(0));
        second.testEvents().assertStatistics(s -> s.skipped(1).started(0));
        second.testEvents().assertThatEvents().haveExactly(1, event(test(), skippedWithReason("envtest binaries missing in /nowhere")));
        first.containerEvents().assertStatistics(s -> s.failed(0).aborted(0));
        second.containerEvents().assertStatistics(s -> s.failed(0).aborted(0));
        assertThat(STARTS).hasValue(1);
        assertThat(INJECTED).isEmpty();
    }

    @Test
    void aFailedStartFailsItsClassOnceAndTheNextClassTriesAgain() {
        Settings.override(Map.of("homestack.cluster", "envtest"), Map.of());
        Clusters.startWith(plan -> {
            if (STARTS.incrementAndGet() == 1) {
                throw new IllegalStateException("cannot install CRD: timeout");
            }
            return new FakeCluster(plan);
        });

        EngineExecutionResults first = run(UsesTheCluster.class);
        assertThat(STARTS).hasValue(1);
        first.containerEvents().assertThatEvents().haveExactly(1, event(container(UsesTheCluster.class),
                finishedWithFailure(message("cannot install CRD: timeout"))));

        run(AlsoUsesTheCluster.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(STARTS).hasValue(2);
        assertThat(INJECTED).singleElement().isInstanceOf(FakeCluster.class);
    }

    @Test
    void aStartedClusterIsSharedByTheClassesAndInjected() {
        Settings.override(Map.of("homestack.cluster", "envtest"), Map.of());
        Clusters.startWith(plan -> {
            STARTS.incrementAndGet();
            return new FakeCluster(plan);
        });

        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(UsesTheCluster.class), selectClass(AlsoUsesTheCluster.class)).execute();

        results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0).skipped(0));
        assertThat(STARTS).hasValue(1);
        assertThat(INJECTED).hasSize(3).containsOnly(INJECTED.get(0)); // field and parameter of one, parameter of three
    }

    private static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    }

    @HomestackCluster
    @RequiresCapability(Capability.RUNNING_PODS)
    static class NeedsContainers {
        @BeforeAll
        static void before(TestCluster cluster) {
            throw new AssertionError("must not run on envtest");
        }

        @Test
        void logs(TestCluster cluster) {
            throw new AssertionError("must not run on envtest");
        }

        @Test
        void exec() {
            throw new AssertionError("must not run on envtest");
        }
    }

    @HomestackCluster(topology = "k3s")
    @RequiresCapability({Capability.API, Capability.SCHEDULING})
    static class NeedsScheduling {
        @Test
        void places(TestCluster cluster) {
            throw new AssertionError("must not run without a scheduler");
        }
    }

    @HomestackCluster
    static class UsesTheCluster {
        TestCluster cluster;

        @Test
        void one(TestCluster parameter) {
            INJECTED.add(cluster);
            INJECTED.add(parameter);
        }

        @Test
        void two() {
            assertThat(cluster).isNotNull();
        }
    }

    @HomestackCluster
    static class AlsoUsesTheCluster {
        @Test
        void three(TestCluster cluster) {
            INJECTED.add(cluster);
        }
    }

    /** Started instead of a real cluster; nothing here talks to an API server. */
    static final class FakeCluster extends BaseCluster {
        FakeCluster(ClusterPlan plan) {
            super(plan);
        }

        @Override
        public String description() {
            return "fake " + plan.key();
        }

        @Override
        public KubernetesClient client() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path kubeconfig() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
