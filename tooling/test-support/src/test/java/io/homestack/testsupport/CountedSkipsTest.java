package io.homestack.testsupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.TestAbortedException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;

/** A class skipped before its tests is counted as one skipped test per test method, each with the reason. */
class CountedSkipsTest {

    static final List<String> RAN = new CopyOnWriteArrayList<>();
    static volatile boolean toolPresent;

    @BeforeEach
    void reset() {
        RAN.clear();
        toolPresent = false;
    }

    @Test
    void aSkippedPreparationSkipsEveryTestWithTheReasonAndNoneOfTheClassMethods() {
        EngineExecutionResults results = run(NeedsTheTool.class);

        results.testEvents().assertStatistics(s -> s.skipped(3).started(0).failed(0).aborted(0));
        for (String name : List.of("one", "two", "three")) {
            results.testEvents().assertThatEvents().haveExactly(1, event(test(name), skippedWithReason("the tool is missing")));
        }
        // the engine, the class and its nested class: none aborted
        results.containerEvents().assertStatistics(s -> s.succeeded(3).aborted(0).failed(0));
        assertThat(RAN).isEmpty();
    }

    @Test
    void aPresentToolRunsEverything() {
        toolPresent = true;

        run(NeedsTheTool.class).testEvents().assertStatistics(s -> s.succeeded(3).skipped(0));
        assertThat(RAN).containsExactlyInAnyOrder("beforeAll", "one", "two", "beforeAll(Inner)", "three", "afterAll");
    }

    @Test
    void anAbortInTheClassesOwnBeforeAllIsCountedTheSameWay() {
        toolPresent = true;
        EngineExecutionResults results = run(AbortsInBeforeAll.class);

        results.testEvents().assertStatistics(s -> s.skipped(2).started(0));
        results.testEvents().assertThatEvents().haveExactly(2, event(test(), skippedWithReason("no skopeo here")));
        assertThat(RAN).isEmpty();
    }

    @Test
    void withoutTheExtensionJUnitCountsNoTestAtAll() {
        // The behaviour this extension exists for: Surefire reported such a class as "Tests run: 0".
        EngineExecutionResults results = run(AbortsWithoutTheExtension.class);

        results.testEvents().assertStatistics(s -> s.skipped(0).started(0));
        results.containerEvents().assertStatistics(s -> s.aborted(1));
    }

    private static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    }

    /** Like the registry and cluster extensions: prepares the class, or skips it when the tool is missing. */
    static final class ToolExtension implements CountedSkips, BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            CountedSkips.prepareClass(context, () -> {
                if (!toolPresent) {
                    throw new TestAbortedException("the tool is missing");
                }
            });
        }
    }

    @ExtendWith(ToolExtension.class)
    static class NeedsTheTool {
        @BeforeAll
        static void beforeAll() {
            RAN.add("beforeAll");
        }

        @AfterAll
        static void afterAll() {
            RAN.add("afterAll");
        }

        @Test
        void one() {
            RAN.add("one");
        }

        @Test
        void two() {
            RAN.add("two");
        }

        @Nested
        class Inner {
            @BeforeAll
            static void beforeAllInner() {
                RAN.add("beforeAll(Inner)");
            }

            @Test
            void three() {
                RAN.add("three");
            }
        }
    }

    @ExtendWith(ToolExtension.class)
    static class AbortsInBeforeAll {
        @BeforeAll
        static void needsSkopeo() {
            throw new TestAbortedException("no skopeo here");
        }

        @Test
        void one() {
            RAN.add("one");
        }

        @Test
        void two() {
            RAN.add("two");
        }
    }

    static class AbortsWithoutTheExtension {
        @BeforeAll
        static void needsSkopeo() {
            throw new TestAbortedException("no skopeo here");
        }

        @Test
        void one() {
        }
    }
}
