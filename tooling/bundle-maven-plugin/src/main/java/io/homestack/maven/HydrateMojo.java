package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.hydrate.ChartSource;
import io.homestack.bundle.hydrate.HydratedBundle;
import io.homestack.bundle.hydrate.Hydrator;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.render.RenderedBundle;
import io.homestack.bundle.validate.Violation;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.util.List;

/**
 * Optional: renders the bundle's upstream charts with Helm (in-process, helm-java) into
 * {@code target/hydrated/<env>/<chart>/}, for rendered diffs and a policy report. Not bound to the lifecycle and never
 * needed for {@code mvn install}: Argo CD renders the charts at sync time. Charts are not vendored, so it needs a
 * directory holding them, e.g. {@code mvn homestack:hydrate -Dhomestack.hydrate.chartsDirectory=../charts}.
 * Policy violations of chart objects are reported as warnings, never fail the build (see docs/hydrate.md).
 */
@Mojo(name = "hydrate", defaultPhase = LifecyclePhase.PROCESS_RESOURCES, threadSafe = true)
public class HydrateMojo extends AbstractBundleMojo {

    /** Holds {@code <chart>/} (a chart directory) or {@code <chart>-<version>.tgz} for every chart of the bundle. */
    @Parameter(property = "homestack.hydrate.chartsDirectory")
    private File chartsDirectory;

    /** Fetches charts missing from the charts directory from their repositories (needs network; untested in CI). */
    @Parameter(property = "homestack.hydrate.fromRepositories", defaultValue = "false")
    private boolean fromRepositories;

    @Parameter(property = "homestack.hydrate.skip", defaultValue = "false")
    private boolean skipHydrate;

    @Parameter(property = "homestack.hydrate.outputDirectory", defaultValue = "${project.build.directory}/hydrated")
    private File hydratedDirectory;

    @Override
    protected void executeInternal() {
        if (skipHydrate) {
            getLog().info("hydrate skipped (homestack.hydrate.skip)");
            return;
        }
        Bundle bundle = Bundle.load(basedir());
        if (bundle.descriptor().charts().isEmpty()) {
            getLog().info("[" + bundle.name() + "] no charts in bundle.yaml: nothing to hydrate");
            return;
        }
        if (chartsDirectory == null && !fromRepositories) {
            throw new BundleException("[" + bundle.name() + "] hydrate needs -Dhomestack.hydrate.chartsDirectory=<dir>"
                    + " holding <chart>/ or <chart>-<version>.tgz; charts are not vendored (charts of this bundle: "
                    + bundle.descriptor().charts().stream().map(c -> c.chartName() + " " + c.version()).toList() + ")");
        }
        ChartSource source = chartsDirectory == null ? ChartSource.repositories()
                : fromRepositories ? ChartSource.directory(chartsDirectory.toPath()).orRepositories()
                : ChartSource.directory(chartsDirectory.toPath());
        Hydrator hydrator = new Hydrator(source, log());
        long start = System.nanoTime();
        HydratedBundle hydrated = hydrator.hydrate(bundle, workDirectory.toPath().resolve("hydrate"));
        hydrator.write(hydrated, hydratedDirectory.toPath());
        getLog().info("[" + bundle.name() + "] hydrated " + hydrated.environments().keySet() + " for Kubernetes "
                + hydrated.kubeVersion() + " in " + (System.nanoTime() - start) / 1_000_000 + " ms into " + hydratedDirectory);

        List<Violation> report = hydrator.policyReport(hydrated, ownObjects(bundle));
        if (!report.isEmpty()) {
            getLog().warn("[" + bundle.name() + "] " + report.size() + " policy finding(s) in chart-rendered objects"
                    + " (reported, not enforced: fix through values where it matters):");
            report.forEach(v -> getLog().warn("  - " + v));
        }
    }

    /** The bundle's own render, so its VirtualServices etc. count for the chart objects; reused from render. */
    private RenderedBundle ownObjects(Bundle bundle) {
        Object cached = project.getContextValue(RenderMojo.CONTEXT_KEY);
        return cached instanceof RenderedBundle r ? r : new BundleRenderer(log()).render(bundle, workDirectory.toPath());
    }
}
