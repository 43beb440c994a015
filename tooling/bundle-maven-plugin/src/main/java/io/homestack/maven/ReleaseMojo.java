package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.model.BundleDescriptor;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.release.BundleArtifactReader;
import io.homestack.bundle.release.ReleaseComposer;
import io.homestack.bundle.release.ReleaseManifest;
import io.homestack.bundle.release.ReleaseSpec;
import io.homestack.bundle.release.ReleasedBundle;
import io.homestack.bundle.render.ArtifactTreeWriter;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Composes the release of one environment from every bundle the module depends on (directly or not):
 * one Application per bundle pinned to the bundle artifact's digest, sync waves from the dependency graph and
 * {@code .homestack/release.json}, written to {@code target/bundle} for the package goal.
 */
@Mojo(name = "release", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class ReleaseMojo extends AbstractBundleMojo {

    /** The environment this release deploys: k3d or k3s. */
    @Parameter(property = "homestack.environment", required = true)
    private String environment;

    /** The registry as the cluster reaches it (may differ from the one the build pushes to); else the inventory's. */
    @Parameter(property = "homestack.pullRegistry")
    private String pullRegistry;

    /** The environment's inventory (clusters/k3s/inventory.yaml): its {@code registry} when pullRegistry is unset. */
    @Parameter(property = "homestack.inventory")
    private java.io.File inventory;

    @Parameter(property = "homestack.repositoryPrefix", defaultValue = "homestack")
    private String repositoryPrefix;

    @Parameter(property = "homestack.bundleGroupId", defaultValue = "io.homestack.bundles")
    private String bundleGroupId;

    @Parameter(defaultValue = "${session}", readonly = true)
    private MavenSession session;

    @Component
    private RepositorySystem repositorySystem;

    @Override
    protected boolean appliesTo(Path dir) {
        return true;
    }

    @Override
    protected void executeInternal() {
        if (!BundleDescriptor.ENVIRONMENTS.contains(environment)) {
            throw new BundleException("release " + project.getArtifactId() + ": unknown environment '" + environment
                    + "'; expected one of " + BundleDescriptor.ENVIRONMENTS);
        }
        List<ReleasedBundle> bundles = new ArrayList<>();
        for (Artifact a : project.getArtifacts()) {
            if (bundleGroupId.equals(a.getGroupId())
                    && ("pom".equals(a.getType()) || PackageMojo.STACK_BUNDLE.equals(a.getType()))) {
                bundles.add(read(a));
            }
        }
        ReleaseSpec spec = new ReleaseSpec(project.getArtifactId(), project.getVersion(), environment,
                PullRegistry.resolve(pullRegistry, inventory, project.getArtifactId()), repositoryPrefix);
        ReleaseComposer.Release release = new ReleaseComposer().compose(spec, bundles);
        new ArtifactTreeWriter().write(project.getArtifactId(), Map.of(ReleaseManifest.PATH, release.manifest()),
                Map.of(environment, release.objects()), outputDirectory.toPath());
        getLog().info("[" + project.getArtifactId() + "] " + bundles.size() + " bundles for " + environment + ": "
                + release.manifest().bundles().stream().map(b -> b.name() + "@" + b.wave()).toList());
    }

    /** From the reactor when the bundle was built in this build, otherwise from the local (or remote) repository. */
    private ReleasedBundle read(Artifact a) {
        String where = a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getVersion();
        for (MavenProject p : session.getProjects()) {
            if (p.getGroupId().equals(a.getGroupId()) && p.getArtifactId().equals(a.getArtifactId())
                    && p.getVersion().equals(a.getVersion())) {
                Path layout = Path.of(p.getBuild().getDirectory(), "oci");
                if (!Files.isDirectory(layout)) {
                    throw new BundleException("release " + project.getArtifactId() + ": bundle " + where + " has no OCI"
                            + " layout at " + layout + "; build it to the package phase first (mvn install)");
                }
                OciLayout built = OciLayout.read(layout);
                return new BundleArtifactReader().read(built.manifestBytes(), built.layerFile(), where);
            }
        }
        Path layer = resolve(a, "tar.gz", null);
        Path manifest = resolve(a, "json", PackageMojo.MANIFEST_CLASSIFIER);
        try {
            return new BundleArtifactReader().read(Files.readAllBytes(manifest), layer, where);
        } catch (IOException e) {
            throw new BundleException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
    }

    private Path resolve(Artifact a, String extension, String classifier) {
        var request = new ArtifactRequest(new DefaultArtifact(a.getGroupId(), a.getArtifactId(), classifier, extension,
                a.getVersion()), project.getRemoteProjectRepositories(), null);
        try {
            return repositorySystem.resolveArtifact(session.getRepositorySession(), request).getArtifact().getFile().toPath();
        } catch (ArtifactResolutionException e) {
            throw new BundleException("release " + project.getArtifactId() + ": cannot find the " + extension
                    + " of bundle " + a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getVersion()
                    + " (install the bundle first: mvn install -pl <bundle> -am): " + e.getMessage(), e);
        }
    }
}
