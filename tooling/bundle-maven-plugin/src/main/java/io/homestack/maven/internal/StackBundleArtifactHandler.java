package io.homestack.maven.internal;

import org.apache.maven.artifact.handler.DefaultArtifactHandler;

/**
 * A stack-bundle's main artifact is its OCI layer, a gzip tar; it never goes on a classpath. Registered in
 * {@code META-INF/plexus/components.xml} (role {@code ArtifactHandler}, hint {@code stack-bundle}).
 */
public class StackBundleArtifactHandler extends DefaultArtifactHandler {

    public StackBundleArtifactHandler() {
        super("stack-bundle");
        setExtension("tar.gz");
        setLanguage("none");
        setAddedToClasspath(false);
        setIncludesDependencies(false);
    }
}
