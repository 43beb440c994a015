package io.homestack.maven.internal;

import org.apache.maven.lifecycle.mapping.Lifecycle;
import org.apache.maven.lifecycle.mapping.LifecycleMapping;
import org.apache.maven.lifecycle.mapping.LifecyclePhase;

import javax.inject.Named;
import javax.inject.Provider;
import javax.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The {@code stack-bundle} packaging: render, validate, test, package as OCI, install, push. The table lives in
 * {@code stack-bundle-lifecycle.properties}, filtered at build time so plugin versions are the pinned ones.
 */
@Named("stack-bundle")
@Singleton
public class StackBundleLifecycleMapping implements Provider<LifecycleMapping> {

    private final LifecycleMapping mapping;

    public StackBundleLifecycleMapping() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.setId("default");
        Map<String, LifecyclePhase> phases = new LinkedHashMap<>();
        new TreeMap<>(phases()).forEach((phase, goal) -> phases.put(phase, new LifecyclePhase(goal)));
        lifecycle.setLifecyclePhases(phases);
        this.mapping = new Mapping(Map.of("default", lifecycle));
    }

    @Override
    public LifecycleMapping get() {
        return mapping;
    }

    static Map<String, String> phases() {
        Properties table = new Properties();
        try (InputStream in = StackBundleLifecycleMapping.class.getResourceAsStream("stack-bundle-lifecycle.properties")) {
            table.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("stack-bundle lifecycle table missing from the plugin jar", e);
        }
        Map<String, String> phases = new TreeMap<>();
        table.forEach((phase, goal) -> phases.put(phase.toString(), goal.toString()));
        return phases;
    }

    private record Mapping(Map<String, Lifecycle> lifecycles) implements LifecycleMapping {

        @Override
        public Map<String, Lifecycle> getLifecycles() {
            return lifecycles;
        }

        @Override
        @Deprecated
        public List<String> getOptionalMojos(String lifecycle) {
            return null;
        }

        @Override
        @Deprecated
        public Map<String, String> getPhases(String lifecycle) {
            Lifecycle l = lifecycles.get(lifecycle);
            return l == null ? null : l.getPhases();
        }
    }
}
