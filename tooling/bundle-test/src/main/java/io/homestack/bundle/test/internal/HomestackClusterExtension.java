package io.homestack.bundle.test.internal;

import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
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
 * lacks (before starting anything), starts or reuses the cluster and injects it.
 */
public final class HomestackClusterExtension implements ExecutionCondition, BeforeAllCallback, TestInstancePostProcessor,
        ParameterResolver, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(HomestackClusterExtension.class);

    /**
     * Disables (so reports count it as skipped, with the reason) a class or method whose {@link RequiresCapability}
     * the planned cluster lacks, before anything starts.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<AnnotatedElement> elements = new ArrayList<>(context.getTestMethod().map(List::of).orElse(List.of()));
        if (context.getTestMethod().isEmpty()) {
            elements.addAll(classChain(context.getRequiredTestClass()));
        }
        return missingCapability(context, elements).map(ConditionEvaluationResult::disabled)
                .orElse(ConditionEvaluationResult.enabled("the cluster has every capability required"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
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

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
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
                        requiresArgoCd(testClass)),
                ClusterPlan.class);
    }

    /** Argo CD is started only for classes (or enclosing classes) that declare they need it: it is heavy. */
    private static boolean requiresArgoCd(Class<?> testClass) {
        return classChain(testClass).stream()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, RequiresCapability.class).stream())
                .anyMatch(r -> java.util.Arrays.asList(r.value()).contains(Capability.ARGOCD));
    }

    private static TestCluster cluster(ExtensionContext context) {
        ClusterPlan plan = plan(context);
        ExtensionContext.Store root = context.getRoot().getStore(NS);
        // closed (all clusters stopped) when the test run ends
        root.getOrComputeIfAbsent(Clusters.class.getName(), k -> (AutoCloseable) Clusters::stopAll, AutoCloseable.class);
        return Clusters.acquire(plan);
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
