package io.homestack.bundle.render;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Renders a bundle for each of its environments: kustomize on {@code manifests/<env>} (or {@code manifests/base}
 * when the bundle has no overlay for that environment), then the chart Applications.
 */
public final class BundleRenderer {

    private final Supplier<Kustomize> kustomize;
    private final ChartApplications charts = new ChartApplications();
    private final BundleLog log;

    public BundleRenderer(Supplier<Kustomize> kustomize, BundleLog log) {
        this.kustomize = kustomize;
        this.log = log;
    }

    public BundleRenderer(BundleLog log) {
        this(Kustomize::locate, log);
    }

    /** @param workDir scratch space (e.g. target/homestack) */
    public RenderedBundle render(Bundle bundle, Path workDir) {
        Map<String, List<KubeObject>> environments = new LinkedHashMap<>();
        Kustomize tool = null;
        for (String env : bundle.descriptor().environments()) {
            List<KubeObject> objects = new ArrayList<>();
            Path overlay = overlay(bundle, env);
            if (overlay != null) {
                tool = tool == null ? kustomize.get() : tool;
                objects.addAll(tool.build(bundle.name(), bundle.dir(), overlay, workDir.resolve("kustomize").resolve(env)));
            }
            objects.addAll(charts.render(bundle, env));
            checkEmpty(bundle, env, objects.size());
            log.debug("[" + bundle.name() + "] " + env + ": " + objects.size() + " objects");
            environments.put(env, List.copyOf(objects));
        }
        return new RenderedBundle(bundle, environments);
    }

    /** No objects is an error unless bundle.yaml says so: a lost overlay must not ship an empty bundle. */
    private static void checkEmpty(Bundle bundle, String env, int objects) {
        boolean declared = bundle.descriptor().intentionallyEmpty().contains(env);
        if (objects == 0 && !declared) {
            throw new BundleException("[" + bundle.name() + "] renders no objects for " + env + " (no manifests/" + env
                    + " or manifests/base kustomization, no chart for " + env + "); if that is intended, say so in"
                    + " bundle.yaml: intentionallyEmpty: [" + env + "]");
        }
        if (objects > 0 && declared) {
            throw new BundleException("[" + bundle.name() + "] bundle.yaml says " + env + " is intentionallyEmpty, but"
                    + " it renders " + objects + " object" + (objects == 1 ? "" : "s") + " there; remove " + env
                    + " from intentionallyEmpty");
        }
    }

    private static Path overlay(Bundle bundle, String env) {
        for (Path dir : List.of(bundle.manifestsDir().resolve(env), bundle.manifestsDir().resolve("base"))) {
            if (Files.isRegularFile(dir.resolve("kustomization.yaml")) || Files.isRegularFile(dir.resolve("kustomization.yml"))) {
                return dir;
            }
        }
        return null;
    }
}
