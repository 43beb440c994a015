package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Runs every goal the same way: skip check, then one call into bundle-core. A {@link BundleException} becomes a
 * build failure whose message is the whole story, so the user's first line of information is never a stack trace.
 */
abstract class AbstractBundleMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    protected org.apache.maven.plugin.MojoExecution mojoExecution;

    /** Skips every homestack goal. */
    @Parameter(property = "homestack.skip", defaultValue = "false")
    protected boolean skip;

    /** The rendered artifact tree: .homestack/ plus one directory per environment. */
    @Parameter(property = "homestack.outputDirectory", defaultValue = "${project.build.directory}/bundle")
    protected File outputDirectory;

    /** The OCI image layout of the artifact. */
    @Parameter(property = "homestack.ociDirectory", defaultValue = "${project.build.directory}/oci")
    protected File ociDirectory;

    /** Scratch space (kustomize wrappers). */
    @Parameter(defaultValue = "${project.build.directory}/homestack", readonly = true)
    protected File workDirectory;

    /** Fixes every timestamp inside the artifact so builds are reproducible. */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    protected String outputTimestamp;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("homestack goals skipped (homestack.skip)");
            return;
        }
        if (!appliesTo(basedir())) {
            // bundle-parent runs its own bindings too; a directory with no bundle files is not a bundle.
            getLog().info("no bundle.yaml, manifests/ or values/ here: not a bundle, nothing to do");
            return;
        }
        long start = System.nanoTime();
        try {
            executeInternal();
            // Read by scripts/bench.sh: the plugin's own time per goal and bundle.
            getLog().info("[" + project.getArtifactId() + "] homestack:" + mojoExecution.getGoal() + " took "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (BundleException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    protected abstract void executeInternal() throws MojoExecutionException;

    /** Whether this goal has work in the given module; bundle goals need a bundle directory. */
    protected boolean appliesTo(Path dir) {
        return java.nio.file.Files.exists(dir.resolve("bundle.yaml")) || java.nio.file.Files.isDirectory(dir.resolve("manifests"))
                || java.nio.file.Files.isDirectory(dir.resolve("values"));
    }

    protected BundleLog log() {
        return new MavenBundleLog(getLog());
    }

    protected Path basedir() {
        return project.getBasedir().toPath();
    }

    /** Maven's outputTimestamp: ISO-8601 or seconds since the epoch; required for reproducible artifacts. */
    protected Instant timestamp() {
        if (outputTimestamp == null || outputTimestamp.isBlank() || outputTimestamp.length() < 2) {
            throw new BundleException("project.build.outputTimestamp is not set; homestack needs it to make"
                    + " reproducible artifacts (the root POM sets it)");
        }
        try {
            return outputTimestamp.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochSecond(Long.parseLong(outputTimestamp))
                    : OffsetDateTime.parse(outputTimestamp).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new BundleException("project.build.outputTimestamp '" + outputTimestamp + "' is neither ISO-8601"
                    + " (2026-01-01T00:00:00Z) nor seconds since the epoch");
        }
    }

    /**
     * Attaches the manifest (json, classifier {@value PackageMojo#MANIFEST_CLASSIFIER}), so {@code install} puts it
     * beside the artifact: releases read bundle digests from it, bundles the digests of the component images they run.
     */
    protected void attachManifest(byte[] manifestBytes, MavenProjectHelper helper) {
        Path manifest = workDirectory.toPath().resolve(project.getArtifactId() + "-oci-manifest.json");
        try {
            Files.createDirectories(manifest.getParent());
            Files.write(manifest, manifestBytes);
        } catch (IOException e) {
            throw new BundleException("cannot write " + manifest + ": " + e.getMessage(), e);
        }
        helper.attachArtifact(project, "json", PackageMojo.MANIFEST_CLASSIFIER, manifest.toFile());
    }
}
