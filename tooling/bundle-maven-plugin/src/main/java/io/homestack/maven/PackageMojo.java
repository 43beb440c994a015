package io.homestack.maven;

import io.homestack.bundle.oci.ArtifactSpec;
import io.homestack.bundle.oci.OciArtifact;
import io.homestack.bundle.oci.OciLayoutWriter;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.render.BundleMetadata;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.project.MavenProjectHelper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Packages {@code target/bundle} as a reproducible OCI image layout in {@code target/oci} (tag = project version),
 * and attaches the layer ({@code tar.gz}) and the manifest ({@code json}, classifier {@code oci-manifest}) to the
 * project so {@code install} puts them in the local Maven repository, where releases find them.
 */
@Mojo(name = "package", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PackageMojo extends AbstractBundleMojo {

    static final String MANIFEST_CLASSIFIER = "oci-manifest";
    static final String STACK_BUNDLE = "stack-bundle";

    @Component
    private MavenProjectHelper projectHelper;

    /** Bundles and releases alike: whatever rendered a tree into the output directory. */
    @Override
    protected boolean appliesTo(Path dir) {
        return Files.isDirectory(outputDirectory.toPath()) || super.appliesTo(dir);
    }

    @Override
    protected void executeInternal() {
        OciArtifact artifact = OciLayoutWriter.write(outputDirectory.toPath(), spec(), timestamp(), ociDirectory.toPath());
        if (STACK_BUNDLE.equals(project.getPackaging())) {
            project.getArtifact().setFile(artifact.layerFile().toFile());
        } else {
            projectHelper.attachArtifact(project, "tar.gz", null, artifact.layerFile().toFile());
        }
        attachManifest(artifact.manifestBytes(), projectHelper);
        getLog().info("[" + project.getArtifactId() + "] " + artifact.tag() + " " + artifact.manifestDigest()
                + " -> " + ociDirectory);
    }

    /**
     * No revision annotation: everything in the manifest is a function of the bundle's content, so a full clone, a
     * shallow clone and a source tarball give the same digest (docs/decisions.md).
     */
    private ArtifactSpec spec() {
        String source = project.getScm() != null && project.getScm().getUrl() != null ? project.getScm().getUrl()
                : project.getUrl();
        return new ArtifactSpec(project.getArtifactId(), project.getVersion(), source, null, description(), null);
    }

    /** The bundle's own description (bundle.yaml), not the one a POM inherits from its parent. */
    private String description() {
        Path metadata = outputDirectory.toPath().resolve(BundleMetadata.PATH);
        try {
            if (Files.isRegularFile(metadata)) {
                String d = ArtifactTreeWriter.JSON.readValue(metadata.toFile(), BundleMetadata.class).description();
                if (d != null && !d.isBlank()) {
                    return d;
                }
            }
        } catch (IOException e) {
            throw new io.homestack.bundle.BundleException("cannot read " + metadata + ": " + e.getMessage(), e);
        }
        return project.getName();
    }
}
