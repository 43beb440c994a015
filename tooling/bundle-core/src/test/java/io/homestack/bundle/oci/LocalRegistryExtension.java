package io.homestack.bundle.oci;

import io.homestack.testsupport.CountedSkips;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * One {@link LocalRegistry} per test class: started before the class's tests, stopped after them, injected into
 * instance fields and parameters (also of {@code @BeforeAll} methods) of type {@code LocalRegistry}. Without
 * docker-registry every test of the class is counted as skipped with the reason ({@link CountedSkips}); in CI the
 * class fails instead.
 *
 * <pre>{@code
 * @ExtendWith(LocalRegistryExtension.class)
 * class PushTest {
 *     LocalRegistry registry;
 * }
 * }</pre>
 */
public final class LocalRegistryExtension implements CountedSkips, BeforeAllCallback, AfterAllCallback,
        TestInstancePostProcessor, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalRegistryExtension.class);
    private static final String KEY = "registry";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (registry(context) == null) { // a nested class shares its outer class's registry
            CountedSkips.prepareClass(context, () -> context.getStore(NS).put(KEY, LocalRegistry.start()));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LocalRegistry started = context.getStore(NS).remove(KEY, LocalRegistry.class); // this class's own only
        if (started != null) {
            started.close();
        }
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
        LocalRegistry registry = registry(context);
        for (Field field : ReflectionSupport.findFields(testInstance.getClass(),
                f -> f.getType() == LocalRegistry.class && !Modifier.isStatic(f.getModifiers()), HierarchyTraversalMode.TOP_DOWN)) {
            field.setAccessible(true);
            field.set(testInstance, registry);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalRegistry.class;
    }

    /** Null when the class is skipped: its methods are then not run ({@link CountedSkips}). */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return registry(context);
    }

    private static LocalRegistry registry(ExtensionContext context) {
        return context.getStore(NS).get(KEY, LocalRegistry.class);
    }
}
