package io.homestack.maven;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.diff.DiffReport;
import io.homestack.bundle.diff.ReleaseDiff;
import io.homestack.bundle.diff.ReleaseDiffer;
import io.homestack.bundle.diff.ReleaseLocator;
import io.homestack.bundle.oci.RegistryClient;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares two releases and prints what changed as Markdown: bundles (versions, digests), charts, images, and the
 * objects of each changed bundle's render. A release is a built release module or OCI layout directory, or a registry
 * reference {@code host[:port]/repository:tag|@sha256:…}. What {@code make diff FROM=... TO=...} runs:
 *
 * <pre>mvn -q -N io.homestack:bundle-maven-plugin:&lt;version&gt;:diff -Dhomestack.diff.from=ghcr.io/o/homestack/release-k3d:1.0.0 \
 *     -Dhomestack.diff.to=clusters/k3d [-Dhomestack.diff.output=target/release-diff.md]</pre>
 */
@Mojo(name = "diff", requiresProject = false, threadSafe = true)
public class DiffMojo extends ProjectlessMojo {

    /** The earlier release. */
    @Parameter(property = "homestack.diff.from")
    private String from;

    /** The later release. */
    @Parameter(property = "homestack.diff.to")
    private String to;

    /** Also write the report to this file (replaced atomically); relative to the directory Maven runs in. */
    @Parameter(property = "homestack.diff.output")
    private File output;

    /** Plain HTTP instead of HTTPS; on by default for localhost registries. */
    @Parameter(property = "homestack.plainHttp")
    private Boolean plainHttp;

    @Parameter(property = "homestack.bundleGroupId", defaultValue = "io.homestack.bundles")
    private String bundleGroupId;

    @Component
    private SettingsDecrypter decrypter;

    @Override
    public void execute() throws MojoFailureException {
        Path scratch = null;
        try {
            if (from == null || from.isBlank() || to == null || to.isBlank()) {
                throw new BundleException("diff needs two releases: -Dhomestack.diff.from=<release> -Dhomestack.diff.to="
                        + "<release> (a release module or OCI layout directory, or host[:port]/repository:tag)");
            }
            scratch = Files.createTempDirectory("homestack-diff");
            var local = session() == null ? null : session().getRepositorySession().getLocalRepository().getBasedir();
            ReleaseLocator locator = new ReleaseLocator(workingDir(), local == null ? null : local.toPath(),
                    bundleGroupId, this::client, scratch);
            ReleaseDiff diff = new ReleaseDiffer().diff(locator.read(from), locator.read(to));
            String report = DiffReport.markdown(diff);
            if (output != null) {
                SealMojo.writeAtomically(workingDir().resolve(output.getPath()).normalize(), report);
            }
            print(report);
        } catch (BundleException e) {
            throw failure(e);
        } catch (IOException e) {
            throw failure(new BundleException("diff: cannot create a scratch directory: " + e.getMessage(), e));
        } finally {
            if (scratch != null) {
                AtomicDirectory.deleteQuietly(scratch);
            }
        }
    }

    /** Anonymous unless settings.xml has a server whose id is the registry address (as homestack:push). */
    private RegistryClient client(String registry) {
        return RegistryClient.builder(RegistrySettings.target(registry, "", plainHttp))
                .credentials(RegistrySettings.credentials(session(), decrypter, registry))
                .build();
    }
}
