package io.homestack.bundle.render;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.SecretObjects;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.BundleDescriptor;
import io.homestack.bundle.model.BundleInputs;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.bundle.validate.Violation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One Argo CD Application per upstream chart, with the exact chart version and the merged values inline
 * ({@code values/<chart>.yaml} then {@code values/<chart>-<env>.yaml}), so Argo CD renders the chart at sync time
 * and the build never needs the chart itself.
 */
public final class ChartApplications {

    public List<KubeObject> render(Bundle bundle, String environment) {
        checkNoStrayValues(bundle);
        List<KubeObject> apps = new ArrayList<>();
        for (ChartSpec chart : bundle.descriptor().chartsFor(environment)) {
            apps.add(new KubeObject(application(bundle.descriptor(), chart, values(bundle, chart, environment)),
                    "values/" + chart.name() + ".yaml"));
        }
        return apps;
    }

    /**
     * The merged values of one chart for one environment. A Secret object anywhere in them (e.g. in
     * {@code extraDeploy}) is an error naming the file and the path: rule no-plaintext-secret, no opt-out.
     */
    public Map<String, Object> values(Bundle bundle, ChartSpec chart, String environment) {
        Path base = bundle.valuesDir().resolve(chart.name() + ".yaml");
        if (!Files.isRegularFile(base, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(base)) {
            throw new BundleException("[" + bundle.name() + "] chart '" + chart.name() + "' has no values file "
                    + bundle.dir().relativize(base) + " (create it; '{}' if the chart's defaults are right)");
        }
        Map<String, Object> baseValues = read(bundle, base);
        Map<String, Object> merged = baseValues;
        Path overlay = bundle.valuesDir().resolve(chart.name() + "-" + environment + ".yaml");
        Map<String, Object> overlayValues = Map.of();
        if (Files.exists(overlay, LinkOption.NOFOLLOW_LINKS)) {
            overlayValues = read(bundle, overlay);
            merged = Values.merge(merged, overlayValues);
        }
        List<String> secrets = new ArrayList<>();
        List<String> inOverlay = SecretObjects.find(overlayValues);
        List<String> inBase = SecretObjects.find(baseValues);
        for (String path : SecretObjects.find(merged)) {
            // Named in the file that holds it; an object that only the merge of both makes a Secret names both.
            String file = inOverlay.contains(path) ? shown(bundle, overlay) : inBase.contains(path) ? shown(bundle, base)
                    : shown(bundle, base) + " + " + shown(bundle, overlay);
            secrets.add(new Violation(bundle.name(), environment, file,
                    "chart '" + chart.name() + "' values at " + (path.isEmpty() ? "the top level" : path),
                    "no-plaintext-secret", "a plaintext Secret object must not be committed, not even for a chart"
                    + " to deploy; seal it (make seal ENV=<env> IN=<file>) and deploy the SealedSecret from"
                    + " manifests/").toString());
        }
        if (!secrets.isEmpty()) {
            throw new BundleException(String.join("\n", secrets));
        }
        return merged;
    }

    private static Map<String, Object> application(BundleDescriptor bundle, ChartSpec chart, Map<String, Object> values) {
        Map<String, Object> helm = new LinkedHashMap<>();
        helm.put("releaseName", chart.helmReleaseName());
        helm.put("valuesObject", values);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("repoURL", chart.repository());
        source.put("chart", chart.chartName());
        source.put("targetRevision", chart.version());
        source.put("helm", helm);

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", bundle.name() + "-" + chart.name());
        metadata.put("namespace", ArgoCd.NAMESPACE);
        metadata.put("labels", Map.of(ArgoCd.LABEL_BUNDLE, bundle.name(), ArgoCd.LABEL_PART_OF, "homestack"));
        metadata.put("finalizers", List.of(ArgoCd.FINALIZER));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("project", bundle.group());
        spec.put("source", source);
        spec.put("destination", Map.of("server", ArgoCd.IN_CLUSTER, "namespace", chart.namespace()));
        spec.put("syncPolicy", ArgoCd.syncPolicy("CreateNamespace=true", "ServerSideApply=true"));

        Map<String, Object> app = new LinkedHashMap<>();
        app.put("apiVersion", ArgoCd.API_VERSION);
        app.put("kind", "Application");
        app.put("metadata", metadata);
        app.put("spec", spec);
        return app;
    }

    private static String shown(Bundle bundle, Path file) {
        return bundle.dir().relativize(file).toString();
    }

    private static Map<String, Object> read(Bundle bundle, Path file) {
        String shown = shown(bundle, file);
        try {
            return Yaml.readMap(BundleInputs.read(bundle.dir(), file, shown), shown);
        } catch (BundleException e) {
            throw new BundleException("[" + bundle.name() + "] " + e.getMessage(), e);
        }
    }

    /** A values file that matches no chart is almost always a typo in its name. */
    private static void checkNoStrayValues(Bundle bundle) {
        if (!Files.isDirectory(bundle.valuesDir())) {
            return;
        }
        Set<String> expected = new TreeSet<>();
        for (ChartSpec chart : bundle.descriptor().charts()) {
            expected.add(chart.name() + ".yaml");
            BundleDescriptor.ENVIRONMENTS.forEach(env -> expected.add(chart.name() + "-" + env + ".yaml"));
        }
        try (Stream<Path> files = Files.list(bundle.valuesDir())) {
            List<String> stray = files.map(p -> p.getFileName().toString()).filter(n -> !expected.contains(n))
                    .sorted().collect(Collectors.toList());
            if (!stray.isEmpty()) {
                throw new BundleException("[" + bundle.name() + "] values/" + stray.get(0) + " matches no chart in "
                        + "bundle.yaml (expected <chart>.yaml or <chart>-<env>.yaml for charts "
                        + bundle.descriptor().charts().stream().map(ChartSpec::name).toList() + ")");
            }
        } catch (IOException e) {
            throw new BundleException("[" + bundle.name() + "] cannot list " + bundle.valuesDir() + ": " + e.getMessage(), e);
        }
    }
}
