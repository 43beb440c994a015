package io.homestack.bundle.test.internal;

import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import io.homestack.testsupport.CountedSkips;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JUnit 5 side of {@link HomestackCluster}: plans the cluster, skips tests whose {@link RequiresCapability} it
 * lacks (before starting anything), starts or reuses the cluster and injects it. A class that cannot have its
 * cluster (a missing capability, or outside CI a missing tool) is counted as one skipped test per test method, with
 * the reason ({@link CountedSkips}); a class whose cluster failed to start fails, and the next class tries again.
 */
public final class HomestackClusterExtension implements CountedSkips, BeforeAllCallback, TestInstancePostProcessor,
        ParameterResolver, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(HomestackClusterExtension.class);

    /**
     * Disables (so reports count it as skipped, with the reason) each test of a skipped class, and each test method
     * whose own {@link RequiresCapability} the planned cluster lacks. Classes stay enabled: their lack is found in
     * {@link #beforeAll}, so that each of their tests is counted.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("classes are decided before all their tests");
        }
        return CountedSkips.skippedTest(context)
                .or(() -> missingCapability(context, List.of(context.getRequiredTestMethod())).map(ConditionEvaluationResult::disabled))
                .orElse(ConditionEvaluationResult.enabled("the cluster has every capability required"));
    }

    /** Skips the class for a missing capability before anything starts; else starts (or reuses) its cluster. */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (CountedSkips.classSkip(context).isPresent()) {
            return;
        }
        Optional<String> missing = missingCapability(context, classChain(context.getRequiredTestClass()));
        if (missing.isPresent()) {
            CountedSkips.skipClass(context, missing.get());
            return;
        }
        CountedSkips.prepareClass(context, () -> cluster(context));
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
        if (CountedSkips.classSkip(context).isPresent()) {
            return; // its tests do not run
        }
        for (Field field : ReflectionSupport.findFields(testInstance.getClass(),
                f -> f.getType() == TestCluster.class && !Modifier.isStatic(f.getModifiers()), HierarchyTraversalMode.TOP_DOWN)) {
            field.setAccessible(true);
            if (field.get(testInstance) == null) {
                field.set(testInstance, cluster(context));
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestCluster.class;
    }

    /** Null in a skipped class, whose methods do not run ({@link CountedSkips}). */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return CountedSkips.classSkip(context).isPresent() ? null : cluster(context);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (!(throwable instanceof TestAbortedException)) {
            Optional.ofNullable(Clusters.started(plan(context))).flatMap(TestCluster::logDir).ifPresent(dir -> System.out.println(
                    "[homestack] " + context.getDisplayName() + " failed; the cluster's process logs are in " + dir));
        }
        throw throwable;
    }

    /** The reason to skip (also printed) when the planned cluster lacks a capability the elements require. */
    private Optional<String> missingCapability(ExtensionContext context, List<? extends AnnotatedElement> elements) {
        ClusterPlan plan = plan(context);
        for (AnnotatedElement element : elements) {
            Optional<RequiresCapability> required = AnnotationSupport.findAnnotation(element, RequiresCapability.class);
            if (required.isEmpty()) {
                continue;
            }
            for (Capability capability : required.get().value()) {
                Optional<String> reason = plan.skipReason(capability);
                if (reason.isPresent()) {
                    System.out.println("[homestack] SKIPPED " + context.getDisplayName() + " on " + plan.kind().id() + ": "
                            + reason.get());
                    return reason;
                }
            }
        }
        return Optional.empty();
    }

    private static ClusterPlan plan(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        return context.getRoot().getStore(NS).getOrComputeIfAbsent("plan:" + testClass.getName(),
                k -> Clusters.plan(classChain(testClass).stream()
                        .flatMap(c -> AnnotationSupport.findAnnotation(c, HomestackCluster.class).stream())
                        .map(HomestackCluster::topology).filter(t -> !t.isEmpty()).findFirst().orElse(""),
                        requires(testClass, Capability.ARGOCD), requires(testClass, Capability.CERT_MANAGER)),
                ClusterPlan.class);
    }

    /**
     * Argo CD and the cert-manager simulation are started only for classes (or enclosing classes) that declare they
     * need them: Argo CD is heavy, and the simulation must not stand in where a test did not ask for it.
     */
    private static boolean requires(Class<?> testClass, Capability capability) {
        return classChain(testClass).stream()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, RequiresCapability.class).stream())
                .anyMatch(r -> java.util.Arrays.asList(r.value()).contains(capability));
    }

    /**
     * The class's cluster. A failed start is kept for the rest of the class (its tests fail with it at once) and
     * retried by the next class; a skip is kept by {@link Clusters} for the whole run.
     */
    private static TestCluster cluster(ExtensionContext context) {
        ClusterPlan plan = plan(context);
        ExtensionContext.Store root = context.getRoot().getStore(NS);
        // closed (all clusters stopped) when the test run ends
        root.getOrComputeIfAbsent(Clusters.class.getName(), k -> (AutoCloseable) Clusters::stopAll, AutoCloseable.class);
        String failedKey = "failed:" + plan.key();
        RuntimeException failed = context.getStore(NS).get(failedKey, RuntimeException.class);
        if (failed != null) {
            throw new IllegalStateException("the " + plan.key() + " test cluster failed to start for this class: "
                    + failed.getMessage(), failed);
        }
        try {
            return Clusters.acquire(plan);
        } catch (TestAbortedException e) {
            throw e;
        } catch (RuntimeException e) {
            context.getStore(NS).put(failedKey, e);
            throw e;
        }
    }

    /** The test class and the classes it is nested in, innermost first. */
    private static List<Class<?>> classChain(Class<?> testClass) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            chain.add(c);
        }
        return chain;
    }
}
