package io.homestack.observability.dashboards;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.test.internal.TestBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Grafana datasource uids dashboards may reference: those observability/prometheus-grafana provisions, read from
 * its render (the values its kube-prometheus-stack Application gives Grafana, additionalDataSources), so a datasource
 * renamed or dropped there fails the dashboards here.
 */
final class Datasources {

    static final Set<String> PROVISIONED = provisioned();

    private Datasources() {
    }

    private static Set<String> provisioned() {
        Path metrics = TestBinaries.repoRoot().resolve("observability/prometheus-grafana");
        Path work = null;
        try {
            work = Files.createTempDirectory("homestack-datasources-");
            KubeObject application = new BundleRenderer(BundleLog.SILENT).render(Bundle.load(metrics), work)
                    .objects("k3d").stream().filter(o -> "Application".equals(o.kind())
                            && "prometheus-grafana-kube-prometheus-stack".equals(o.name())).findFirst()
                    .orElseThrow(() -> new IllegalStateException(metrics + ": no kube-prometheus-stack Application in"
                            + " its k3d render"));
            Set<String> uids = new TreeSet<>();
            KubeObject.list(KubeObject.path(application.body(), "spec", "source", "helm", "valuesObject", "grafana")
                    .get("additionalDataSources")).forEach(d -> uids.add(KubeObject.string(KubeObject.map(d).get("uid"))));
            if (!uids.contains("prometheus")) {
                throw new IllegalStateException(metrics + ": Grafana's datasources " + uids + " have no uid prometheus");
            }
            return Set.copyOf(uids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (work != null) {
                AtomicDirectory.deleteQuietly(work); // a temporary directory
            }
        }
    }
}
