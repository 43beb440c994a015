package io.homestack.maven;

import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.release.ReleaseSpec;
import io.homestack.bundle.release.RootApplication;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code target/root-application-<environment>.yaml} for a release just packaged: the credential template of
 * the release registry and the root Application pinned to the release artifact's digest. "Deploy release X" is then
 * {@code kubectl apply -f} of that file. Runs after {@code package}, which is when the digest exists.
 */
@Mojo(name = "root-application", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class RootApplicationMojo extends AbstractBundleMojo {

    /** The environment this release deploys: k3d or k3s. */
    @Parameter(property = "homestack.environment", required = true)
    private String environment;

    /** The registry as the cluster reaches it (may differ from the one the build pushes to); else the inventory's. */
    @Parameter(property = "homestack.pullRegistry")
    private String pullRegistry;

    /** The environment's inventory (clusters/k3s/inventory.yaml): its {@code registry} when pullRegistry is unset. */
    @Parameter(property = "homestack.inventory")
    private java.io.File inventory;

    /** The cluster pulls over plain HTTP (the k3d local registry); Argo CD then never tries HTTPS. */
    @Parameter(property = "homestack.pullPlainHttp", defaultValue = "false")
    private boolean pullPlainHttp;

    @Parameter(property = "homestack.repositoryPrefix", defaultValue = "homestack")
    private String repositoryPrefix;

    @Override
    protected boolean appliesTo(Path dir) {
        return Files.isDirectory(ociDirectory.toPath());
    }

    @Override
    protected void executeInternal() {
        ReleaseSpec spec = new ReleaseSpec(project.getArtifactId(), project.getVersion(), environment,
                PullRegistry.resolve(pullRegistry, inventory, project.getArtifactId()), repositoryPrefix);
        String digest = OciLayout.read(ociDirectory.toPath()).manifestDigest();
        Path file = RootApplication.file(Path.of(project.getBuild().getDirectory()), environment);
        RootApplication.write(RootApplication.objects(spec, digest, pullPlainHttp), file);
        getLog().info("[" + project.getArtifactId() + "] " + spec.repoUrl(project.getArtifactId()) + "@" + digest
                + " -> " + file + " (deploy: kubectl apply -f " + file.getFileName() + ")");
    }
}
