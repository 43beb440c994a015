package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.render.BundleMetadata;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.render.ComponentImages;
import io.homestack.bundle.oci.Digests;
import io.homestack.bundle.render.RenderedBundle;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.model.Dependency;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders the bundle for every environment: kustomize on its own manifests, one Argo CD Application per upstream
 * chart, and {@code .homestack/bundle.json}, into {@code target/bundle}.
 */
@Mojo(name = "render", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class RenderMojo extends AbstractBundleMojo {

    static final String CONTEXT_KEY = "homestack.rendered";

    /** Dependencies with this groupId are bundles; their artifactId is the bundle name. */
    @Parameter(property = "homestack.bundleGroupId", defaultValue = "io.homestack.bundles")
    private String bundleGroupId;

    @Override
    protected void executeInternal() {
        Bundle bundle = Bundle.load(basedir());
        if (!bundle.name().equals(project.getArtifactId())) {
            throw new BundleException("[" + bundle.name() + "] bundle.yaml names the bundle '" + bundle.name()
                    + "' but the module's artifactId is '" + project.getArtifactId() + "'; they must be equal");
        }
        RenderedBundle rendered = new BundleRenderer(log()).render(bundle, workDirectory.toPath());
        ComponentImages.pin(rendered, componentImages());
        BundleMetadata metadata = BundleMetadata.of(rendered, project.getVersion(), bundleDependencies());
        new ArtifactTreeWriter().write(rendered, metadata, outputDirectory.toPath());
        project.setContextValue(CONTEXT_KEY, rendered);
        getLog().info("[" + bundle.name() + "] rendered " + rendered.environments().keySet() + " into " + outputDirectory);
    }

    /**
     * The images of the Java components this bundle runs: its direct dependencies on a component's image manifest
     * (type json, classifier oci-manifest; tooling/component-parent), from the reactor or the local repository.
     */
    private List<ComponentImages.Built> componentImages() {
        List<ComponentImages.Built> built = new ArrayList<>();
        for (Dependency d : project.getDependencies()) {
            if (!PackageMojo.MANIFEST_CLASSIFIER.equals(d.getClassifier()) || bundleGroupId.equals(d.getGroupId())) {
                continue;
            }
            Artifact a = project.getArtifactMap().get(d.getGroupId() + ":" + d.getArtifactId());
            if (a == null || a.getFile() == null || !a.getFile().isFile()) {
                throw new BundleException("[" + project.getArtifactId() + "] the image manifest of " + d.getGroupId()
                        + ":" + d.getArtifactId() + " is not built; build the component first (mvn install -pl "
                        + "<bundle> -am)");
            }
            try {
                built.add(new ComponentImages.Built(d.getArtifactId(), Digests.sha256(a.getFile().toPath()),
                        a.getFile().toString()));
            } catch (java.io.IOException e) {
                throw new BundleException("cannot read " + a.getFile() + ": " + e.getMessage(), e);
            }
        }
        return built;
    }

    private List<BundleMetadata.Dependency> bundleDependencies() {
        return project.getDependencies().stream()
                .filter(d -> bundleGroupId.equals(d.getGroupId()))
                .filter(d -> d.getScope() == null || "compile".equals(d.getScope()))
                .map((Dependency d) -> new BundleMetadata.Dependency(d.getArtifactId(), d.getVersion()))
                .sorted(java.util.Comparator.comparing(BundleMetadata.Dependency::name))
                .toList();
    }
}
