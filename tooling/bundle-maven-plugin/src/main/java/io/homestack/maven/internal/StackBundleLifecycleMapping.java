package io.homestack.maven.internal;

import org.apache.maven.lifecycle.mapping.Lifecycle;
import org.apache.maven.lifecycle.mapping.LifecycleMapping;
import org.apache.maven.lifecycle.mapping.LifecyclePhase;

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
 *
 * <p>Registered in {@code META-INF/plexus/components.xml} (role {@link LifecycleMapping}, hint {@code stack-bundle}),
 * not with {@code @Named}: Maven 3.8.x cannot discover JSR-330 components compiled for Java 17 (see there).
 */
public class StackBundleLifecycleMapping implements LifecycleMapping {

    static final String TABLE = "stack-bundle-lifecycle.properties";

    private final Map<String, Lifecycle> lifecycles;

    public StackBundleLifecycleMapping() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.setId("default");
        Map<String, LifecyclePhase> phases = new LinkedHashMap<>();
        phases().forEach((phase, goals) -> phases.put(phase, new LifecyclePhase(goals)));
        lifecycle.setLifecyclePhases(phases);
        this.lifecycles = Map.of(lifecycle.getId(), lifecycle);
    }

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

    /** Phase to goal(s), from the filtered table in the plugin jar. */
    static Map<String, String> phases() {
        Properties table = new Properties();
        try (InputStream in = StackBundleLifecycleMapping.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IOException(TABLE + " not found");
            }
            table.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("stack-bundle lifecycle table missing from the plugin jar", e);
        }
        Map<String, String> phases = new TreeMap<>();
        table.forEach((phase, goals) -> phases.put(phase.toString(), goals.toString().trim()));
        return phases;
    }
}
