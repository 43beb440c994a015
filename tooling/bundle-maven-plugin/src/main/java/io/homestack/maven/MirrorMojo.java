package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.mirror.ChartMirror;
import io.homestack.bundle.mirror.MirrorReport;
import io.homestack.bundle.mirror.MirrorSpec;
import io.homestack.bundle.mirror.MissingPolicy;
import io.homestack.bundle.oci.RegistryTarget;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

/**
 * Copies every upstream chart of a pushed release into an OCI registry (Helm's format) and pushes the relocated
 * release: bundles whose chart Applications point at the mirror, and a release pinning those bundles. Lists the images
 * to mirror; does not copy them. Bound to no phase; see docs/mirror.md.
 */
@Mojo(name = "mirror", threadSafe = true)
public class MirrorMojo extends AbstractRegistryMojo {

    /** The registry the release was pushed to (homestack:push's homestack.registry). */
    @Parameter(property = "homestack.mirror.source", defaultValue = "${homestack.registry}")
    private String source;

    /** The release to mirror: {@code <name>:<tag>} or {@code <name>@sha256:…}, under the source's prefix. */
    @Parameter(property = "homestack.mirror.release", defaultValue = "${project.artifactId}:${project.version}")
    private String release;

    /** The repository prefix the release was pushed under (as for homestack:push). */
    @Parameter(property = "homestack.repositoryPrefix", defaultValue = "homestack")
    private String sourcePrefix;

    /** Where the charts and the relocated bundles and release are pushed, host[:port]. */
    @Parameter(property = "homestack.mirror.registry")
    private String registry;

    /** The mirror registry as the cluster reaches it; default the registry. */
    @Parameter(property = "homestack.mirror.pullRegistry")
    private String pullRegistry;

    @Parameter(property = "homestack.mirror.repositoryPrefix", defaultValue = "homestack-mirror")
    private String repositoryPrefix;

    /** Directories holding {@code <chart>/} or {@code <chart>-<version>.tgz}, comma-separated. */
    @Parameter(property = "homestack.mirror.chartsDirectories")
    private List<File> chartsDirectories;

    /**
     * Directories holding the trees of the release's Git sources, {@code <host>/<repository path>@<revision>/},
     * comma-separated.
     */
    @Parameter(property = "homestack.mirror.sourcesDirectories")
    private List<File> sourcesDirectories;

    /**
     * A chart or Git source in none of the directories: {@code fail} (nothing pushed), {@code keep} (its Application
     * keeps the upstream source) or {@code omit} (its Application is removed from the relocated release).
     */
    @Parameter(property = "homestack.mirror.missing", defaultValue = "fail")
    private String missing;

    /** Replaced by homestack.mirror.missing; true still means keep. */
    @Deprecated
    @Parameter(property = "homestack.mirror.allowMissingCharts")
    private Boolean allowMissingCharts;

    @Parameter(property = "homestack.mirror.outputDirectory", defaultValue = "${project.build.directory}/mirror")
    private File mirrorDirectory;

    @Override
    protected boolean appliesTo(Path dir) {
        return true;
    }

    @Override
    protected void executeInternal() {
        if (source == null || source.isBlank() || registry == null || registry.isBlank()) {
            throw new BundleException("mirror needs the registry the release is in (-Dhomestack.mirror.source, default"
                    + " homestack.registry) and the one to mirror to (-Dhomestack.mirror.registry)");
        }
        int at = release.indexOf('@') >= 0 ? release.indexOf('@') : release.lastIndexOf(':');
        if (at <= 0) {
            throw new BundleException("homestack.mirror.release '" + release + "': expected <repository>:<tag> or"
                    + " <repository>@sha256:<digest>, e.g. release-k3d:1.0.0");
        }
        RegistryTarget from = target(source, "");
        RegistryTarget to = target(registry, repositoryPrefix);
        String repository = (sourcePrefix == null || sourcePrefix.isBlank() ? "" : sourcePrefix + "/")
                + release.substring(0, at);
        MissingPolicy policy = MissingPolicy.parse(missing);
        if (Boolean.TRUE.equals(allowMissingCharts)) {
            getLog().warn("homestack.mirror.allowMissingCharts is replaced by homestack.mirror.missing=keep (or omit)");
            if (policy == MissingPolicy.FAIL) {
                policy = MissingPolicy.KEEP;
            }
        }
        MirrorSpec spec = new MirrorSpec(from, repository, release.substring(at + 1), to, pullRegistry,
                paths(chartsDirectories), paths(sourcesDirectories), policy, mirrorDirectory.toPath());
        MirrorReport report = new ChartMirror(spec, client(from, source), client(to, registry), log()).run();
        getLog().info("[" + project.getArtifactId() + "] relocated release " + report.release().to());
        report.charts().forEach(c -> getLog().info("  chart " + c.bundle() + "/" + c.name() + " " + c.version()
                + " from " + c.source() + " -> " + c.reference()));
        report.sources().forEach(s -> getLog().info("  Git source " + s.bundle() + "/" + s.application() + " "
                + s.repository() + "@" + s.revision() + " from " + s.source() + " -> " + s.reference()));
        report.missingCharts().forEach(c -> getLog().warn("  NOT mirrored: chart " + c.bundle() + "/" + c.name() + " "
                + c.version() + " (" + c.repository() + "): " + c.reason()));
        report.missingSources().forEach(s -> getLog().warn("  NOT mirrored: Git source " + s.bundle() + "/"
                + s.application() + " " + s.repository() + "@" + s.revision() + ": " + s.reason()));
        report.omitted().forEach(o -> getLog().warn("  OMITTED from the relocated release: Application " + o.bundle()
                + "/" + o.application() + " (" + o.source() + ")"));
        getLog().info("  images to mirror yourself (not copied): " + report.images().size() + ", listed in "
                + mirrorDirectory.toPath().resolve(MirrorReport.FILE));
        getLog().info("  Argo CD repository for the charts: " + mirrorDirectory.toPath().resolve(ChartMirror.REPOSITORY_SECRET));
    }

    private static List<Path> paths(List<File> files) {
        return files == null ? List.of() : files.stream().map(File::toPath).toList();
    }
}
