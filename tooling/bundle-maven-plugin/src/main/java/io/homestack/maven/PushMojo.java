package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.inventory.Inventory;
import io.homestack.bundle.inventory.Placeholders;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.PushResult;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.release.ReleasePins;
import io.homestack.bundle.sbom.SbomReferrer;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pushes the OCI layout in {@code target/oci} to a registry as {@code <registry>/<prefix>/<artifactId>:<version>}.
 * Credentials come from the {@code settings.xml} server whose id is {@code serverId} (default: the registry address).
 * A release is pushed only when the registry already has every bundle it pins ({@link ReleasePins}).
 */
@Mojo(name = "push", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PushMojo extends AbstractRegistryMojo {

    /** Registry host[:port] to push to, e.g. localhost:5111 (k3d) or registry.example.net. */
    @Parameter(property = "homestack.registry")
    private String registry;

    @Parameter(property = "homestack.repositoryPrefix", defaultValue = "homestack")
    private String repositoryPrefix;

    /** The settings.xml server holding credentials; defaults to the registry address. */
    @Parameter(property = "homestack.serverId")
    private String serverId;

    /**
     * The environment's inventory (set by clusters/k3s): pushing is refused while it still has placeholders
     * ({@link Placeholders}), so a release that deploys them to the home cluster is never published.
     */
    @Parameter(property = "homestack.inventory")
    private java.io.File inventory;

    /** Do not attach the artifact's SBOM (CycloneDX, an OCI referrer of the pushed manifest: docs/ci.md). */
    @Parameter(property = "homestack.sbom.skip", defaultValue = "false")
    private boolean skipSbom;

    @Override
    protected boolean appliesTo(java.nio.file.Path dir) {
        return Files.isDirectory(ociDirectory.toPath());
    }

    @Override
    protected void executeInternal() {
        if (registry == null || registry.isBlank()) {
            throw new BundleException("[" + project.getArtifactId() + "] no registry to push to: set -Dhomestack.registry="
                    + "<host:port> (k3d: localhost:5111), or skip pushing with -Dhomestack.skip");
        }
        if (inventory != null) {
            Placeholders.requireNone(Inventory.read(inventory.toPath()), "push " + project.getArtifactId());
        }
        RegistryClient client = client(target(registry, repositoryPrefix),
                serverId == null || serverId.isBlank() ? registry : serverId);
        OciLayout layout = OciLayout.read(ociDirectory.toPath());
        ReleasePins.read(layout).ifPresent(release -> ReleasePins.requirePushed(release, client,
                "mvn deploy -pl " + moduleDir() + " -am -Dhomestack.registry=" + registry + " (or make push)"));
        PushResult result = client.push(layout, project.getArtifactId());
        getLog().info("[" + project.getArtifactId() + "] pushed " + result.pinnedReference());
        if (!skipSbom) {
            PushResult attached = SbomReferrer.attach(client, layout, result, project.getArtifactId(),
                    Path.of(project.getBuild().getDirectory(), "sbom-oci"));
            getLog().info("[" + project.getArtifactId() + "] SBOM attached: " + attached.registry() + "/"
                    + attached.repository() + "@" + attached.digest());
        }
    }

    /** This module as -pl names it from where Maven runs. */
    private String moduleDir() {
        Path root = Path.of(session.getExecutionRootDirectory()).toAbsolutePath();
        String relative = root.relativize(basedir().toAbsolutePath()).toString();
        return relative.isEmpty() ? "." : relative;
    }

}
