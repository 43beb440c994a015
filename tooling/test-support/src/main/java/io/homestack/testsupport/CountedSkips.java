package io.homestack.testsupport;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * For extensions that prepare what a whole test class needs (a registry, a cluster) before its tests. JUnit reports a
 * class aborted in {@code @BeforeAll} as one aborted container, which Surefire and Failsafe count as "Tests run: 0";
 * with this, a skipped preparation instead disables each test of the class (and of its nested classes) with the
 * reason, so every test is counted as skipped. The class's own {@code @BeforeAll} and {@code @AfterAll} methods do
 * not run then, and a {@link TestAbortedException} from one of its {@code @BeforeAll} methods counts the same way.
 *
 * <p>An extension implements this interface and prepares through {@link #prepareClass}; one that has its own
 * conditions combines them with {@link #skippedTest}.
 */
public interface CountedSkips extends ExecutionCondition, InvocationInterceptor {

    /** Runs {@code prepare} for the class unless it is skipped already; a skip it throws skips the class. */
    static void prepareClass(ExtensionContext classContext, Runnable prepare) {
        if (classSkip(classContext).isPresent()) {
            return;
        }
        try {
            prepare.run();
        } catch (TestAbortedException skipped) {
            skipClass(classContext, skipped.getMessage());
        }
    }

    /** Every test of the context's class (and of classes nested in it) is skipped with this reason. */
    static void skipClass(ExtensionContext classContext, String reason) {
        classContext.getStore(Keys.NAMESPACE).put(Keys.REASON, reason == null ? "skipped" : reason);
    }

    /** The reason the class of this context (or one it is nested in) is skipped. */
    static Optional<String> classSkip(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(Keys.NAMESPACE).get(Keys.REASON, String.class));
    }

    /** Disabled with the reason for a test of a skipped class; empty for anything else. */
    static Optional<ConditionEvaluationResult> skippedTest(ExtensionContext context) {
        return context.getTestMethod().flatMap(m -> classSkip(context)).map(ConditionEvaluationResult::disabled);
    }

    @Override
    default ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return skippedTest(context).orElse(ConditionEvaluationResult.enabled("not skipped"));
    }

    @Override
    default void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
                                          ExtensionContext context) throws Throwable {
        if (classSkip(context).isPresent()) {
            invocation.skip();
            return;
        }
        try {
            invocation.proceed();
        } catch (TestAbortedException skipped) {
            skipClass(context, skipped.getMessage());
        }
    }

    @Override
    default void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
                                         ExtensionContext context) throws Throwable {
        if (classSkip(context).isPresent()) {
            invocation.skip();
        } else {
            invocation.proceed();
        }
    }

    /** The store entry (one namespace for every extension, so any of them sees a skip another recorded). */
    final class Keys {
        static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CountedSkips.class);
        static final String REASON = "class skipped";

        private Keys() {
        }
    }
}
