package io.homestack.maven;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.render.RenderedBundle;
import io.homestack.bundle.validate.Validator;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Checks structure and policies of every rendered object. On failure the rendered tree is removed, so nothing that
 * failed validation can be packaged or pushed by a later command.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.PROCESS_RESOURCES, threadSafe = true)
public class ValidateMojo extends AbstractBundleMojo {

    @Override
    protected void executeInternal() {
        Object cached = project.getContextValue(RenderMojo.CONTEXT_KEY);
        RenderedBundle rendered = cached instanceof RenderedBundle r ? r
                : new BundleRenderer(log()).render(Bundle.load(basedir()), workDirectory.toPath());
        try {
            new Validator().validate(rendered);
        } catch (BundleException e) {
            AtomicDirectory.deleteQuietly(outputDirectory.toPath());
            throw e;
        }
        getLog().info("[" + rendered.bundle().name() + "] valid: " + rendered.environments().values().stream()
                .mapToInt(java.util.List::size).sum() + " objects checked against " + Validator.RULES.size() + " rules");
    }
}
