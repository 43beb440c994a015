package io.homestack.maven;

import io.homestack.bundle.oci.ImageTarball;
import io.homestack.bundle.oci.OciLayout;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;

import java.io.File;
import java.nio.file.Path;

/**
 * Takes a Java component's image, built by Jib ({@code jib:buildTar}, OCI format), into the OCI image layout
 * {@code target/oci} (tag = project version), where {@code push} and the scripts find it as they find bundles, and
 * attaches its manifest (json, classifier {@code oci-manifest}), from which the bundles that run the image take its
 * digest (tooling/component-parent, docs/decisions.md "Java component images with Jib").
 */
@Mojo(name = "image", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class ImageMojo extends AbstractBundleMojo {

    /** The image tarball Jib wrote (its {@code outputPaths.tar}). */
    @Parameter(property = "homestack.image.tarball", defaultValue = "${project.build.directory}/jib-image.tar")
    private File tarball;

    @Component
    private MavenProjectHelper projectHelper;

    /** Components, not the parent that declares this goal for them. */
    @Override
    protected boolean appliesTo(Path dir) {
        return !"pom".equals(project.getPackaging());
    }

    @Override
    protected void executeInternal() {
        OciLayout image = ImageTarball.unpack(tarball.toPath(), ociDirectory.toPath(), project.getVersion(),
                project.getArtifactId());
        attachManifest(image.manifestBytes(), projectHelper);
        getLog().info("[" + project.getArtifactId() + "] image " + image.tag() + " " + image.manifestDigest() + " -> "
                + ociDirectory);
    }
}
