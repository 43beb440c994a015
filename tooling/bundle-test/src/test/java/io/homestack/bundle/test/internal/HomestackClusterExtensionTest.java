package io.homestack.bundle.test.internal;

import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/** The skip logic: a test class needing what the cluster lacks is skipped with the reason, and nothing is started. */
class HomestackClusterExtensionTest {

    @AfterEach
    void reset() {
        Settings.reset();
        Clusters.forgetDefaultKind();
    }

    @Test
    void aClassNeedingContainersIsSkippedOnEnvtestWithTheReasonAndStartsNothing() {
        Settings.override(Map.of("homestack.cluster", "envtest"), Map.of());
        Events containers = run(NeedsContainers.class).containerEvents();
        containers.assertThatEvents().haveExactly(1, event(container(NeedsContainers.class), skippedWithReason(
                "needs running containers; envtest has none (run with -Dhomestack.cluster=k3s or kubeconfig)")));
        assertThat(Clusters.started(Clusters.plan(""))).isNull();
    }

    @Test
    void anApiOnlyEnvtestSkipsClassesNeedingTheScheduler() {
        Settings.override(Map.of("homestack.cluster", "envtest", "homestack.envtest.components", "api"), Map.of());
        run(NeedsScheduling.class).containerEvents().assertThatEvents().haveExactly(1, event(container(NeedsScheduling.class),
                skippedWithReason(m -> m.startsWith("needs a scheduler and nodes; envtest runs only kube-apiserver"))));
    }

    private static org.junit.platform.testkit.engine.EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    }

    @HomestackCluster
    @RequiresCapability(Capability.RUNNING_PODS)
    static class NeedsContainers {
        @Test
        void logs(TestCluster cluster) {
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
}
