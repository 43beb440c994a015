package io.homestack.maven.internal;

import org.apache.maven.artifact.handler.DefaultArtifactHandler;

import javax.inject.Named;
import javax.inject.Singleton;

/** A stack-bundle's main artifact is its OCI layer, a gzip tar; it never goes on a classpath. */
@Named("stack-bundle")
@Singleton
public class StackBundleArtifactHandler extends DefaultArtifactHandler {

    public StackBundleArtifactHandler() {
        super("stack-bundle");
        setExtension("tar.gz");
        setLanguage("none");
        setAddedToClasspath(false);
        setIncludesDependencies(false);
    }
}
