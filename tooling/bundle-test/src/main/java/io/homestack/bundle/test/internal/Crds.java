package io.homestack.bundle.test.internal;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** The upstream CRDs of the CRD cache ({@code build.sh crds}), installed once per cluster and waited for. */
public final class Crds {

    private static final ResourceDefinitionContext CRD = new ResourceDefinitionContext.Builder()
            .withGroup("apiextensions.k8s.io").withVersion("v1").withKind("CustomResourceDefinition")
            .withPlural("customresourcedefinitions").withNamespaced(false).build();

    private Crds() {
    }

    /** Every CRD of every set in versions.env; fails with the build.sh command when a set is missing. */
    public static List<Map<String, Object>> fromCache(TestBinaries binaries) {
        List<String> missing = new ArrayList<>();
        Map<String, Map<String, Object>> crds = new LinkedHashMap<>();
        for (TestBinaries.CrdSet set : binaries.crdSets()) {
            if (!set.complete()) {
                missing.add(set.project() + " " + set.version() + " (" + set.dir() + ")");
                continue;
            }
            for (Path file : set.files()) {
                for (Map<String, Object> doc : read(file)) {
                    KubeObject o = new KubeObject(doc, file.toString());
                    if ("CustomResourceDefinition".equals(o.kind())) {
                        crds.put(o.name(), doc);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("upstream CRDs missing from the CRD cache: " + String.join(", ", missing)
                    + ". " + binaries.buildHint("crds"));
        }
        return List.copyOf(crds.values());
    }

    /**
     * Server-side applies the CRDs (a few at a time) and waits until every one is Established. An API server too busy
     * to answer in time (a loaded machine) is asked again with backoff, within the timeout: applying is idempotent.
     */
    public static void install(KubernetesClient client, List<Map<String, Object>> crds, Duration timeout) {
        ForkJoinPool pool = new ForkJoinPool(4);
        try {
            pool.submit(() -> crds.parallelStream().forEach(crd -> {
                String name = new KubeObject(crd, "").name();
                try {
                    Transient.retry("installing CRD " + name, timeout, () -> BundleApplier.applyOne(client, CRD, false, crd));
                } catch (KubernetesClientException e) {
                    throw new IllegalStateException("cannot install CRD " + name + ": " + BundleApplier.serverMessage(e), e);
                }
            })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        awaitEstablished(client, crds.stream().map(c -> new KubeObject(c, "").name()).toList(), timeout);
    }

    /** Waits until every named CRD has condition Established=True. */
    public static void awaitEstablished(KubernetesClient client, List<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> pending = new ArrayList<>(names);
        while (true) {
            Map<String, CustomResourceDefinition> byName = new LinkedHashMap<>();
            try {
                client.apiextensions().v1().customResourceDefinitions().list().getItems()
                        .forEach(c -> byName.put(c.getMetadata().getName(), c));
            } catch (KubernetesClientException e) {
                if (!Transient.is(e)) {
                    throw e;
                }
            }
            pending.removeIf(n -> established(byName.get(n)));
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("CRDs not Established after " + timeout.toSeconds() + " s: " + pending);
            }
            Await.sleep(100);
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static List<Map<String, Object>> read(Path file) {
        try {
            return Yaml.readAll(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
