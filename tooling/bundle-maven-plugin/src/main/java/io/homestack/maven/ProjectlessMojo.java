package io.homestack.maven;

import io.homestack.bundle.BundleException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The goals a script runs without a project ({@code seal}, {@code unseal}): their YAML goes to standard output and
 * nothing else does, and a problem is one line on standard error before Maven's own failure report.
 */
abstract class ProjectlessMojo extends AbstractMojo {

    @Parameter(defaultValue = "${session}", readonly = true)
    private MavenSession session;

    protected MavenSession session() {
        return session;
    }

    /** The directory Maven runs in; the goals' file parameters are relative to it. */
    protected Path workingDir() {
        return Path.of(session != null && session.getExecutionRootDirectory() != null
                ? session.getExecutionRootDirectory() : System.getProperty("user.dir")).toAbsolutePath();
    }

    protected static void print(String yaml) {
        PrintStream out = System.out;
        out.print(yaml);
        out.flush();
    }

    /** First line the user sees, whatever Maven adds after it; stdout stays clean for the YAML. */
    protected static MojoFailureException failure(BundleException e) {
        System.err.println(e.getMessage());
        System.err.flush();
        return new MojoFailureException(e.getMessage(), e);
    }
}
