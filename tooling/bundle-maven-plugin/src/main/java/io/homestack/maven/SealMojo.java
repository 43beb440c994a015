package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.seal.EnvironmentCertificates;
import io.homestack.bundle.seal.SealingScope;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Seals one Secret file offline for an environment, with the certificate committed for it
 * ({@code clusters/<env>/sealed-secrets/sealed-secrets-<env>.crt} of the repository), and prints the SealedSecret YAML
 * or writes it to a file. What {@code make seal ENV=k3d IN=secret.yaml} runs; needs no project and no network:
 *
 * <pre>mvn -q -o -N io.homestack:bundle-maven-plugin:&lt;version&gt;:seal -Dhomestack.seal.environment=k3d \
 *     -Dhomestack.seal.input=secret.yaml [-Dhomestack.seal.scope=strict] [-Dhomestack.seal.output=sealed.yaml]</pre>
 *
 * A problem with the input (not a Secret, no such file, no certificate for the environment, an unknown environment or
 * scope) is printed as one line on standard error before Maven's own failure report, so standard output carries the
 * sealed YAML and nothing else.
 */
@Mojo(name = "seal", requiresProject = false, threadSafe = true)
public class SealMojo extends ProjectlessMojo {

    /** The environment to seal for: k3d or k3s (each cluster has its own key). */
    @Parameter(property = "homestack.seal.environment")
    private String environment;

    /** The Secret file (YAML or JSON, one v1 Secret); relative to the directory Maven runs in. */
    @Parameter(property = "homestack.seal.input")
    private String input;

    /** strict (bound to namespace and name), namespace-wide or cluster-wide. */
    @Parameter(property = "homestack.seal.scope", defaultValue = "strict")
    private String scope;

    /** Where to write the SealedSecret (replaced atomically); standard output when not set. */
    @Parameter(property = "homestack.seal.output")
    private String output;

    /** The repository whose clusters/ holds the certificates; found upwards from the directory Maven runs in. */
    @Parameter(property = "homestack.seal.repositoryRoot")
    private String repositoryRoot;

    @Override
    public void execute() throws MojoFailureException {
        try {
            Result result = seal(new Request(environment, input, scope, output, repositoryRoot), workingDir());
            if (result.output() == null) {
                print(result.yaml());
            } else {
                getLog().info("Sealed " + result.input() + " for " + result.environment() + " (" + result.scope()
                        + ") into " + result.output());
            }
            if ("k3d".equals(result.environment())) {
                // k3d's private key is committed: a reminder, on stderr so it never ends up in the sealed file.
                System.err.println("note: the k3d sealing key is public (clusters/k3d/sealed-secrets/README.md);"
                        + " never seal a real credential for k3d");
            }
        } catch (BundleException e) {
            throw failure(e);
        }
    }

    /** The goal's parameters as given (any may be null). */
    record Request(String environment, String input, String scope, String output, String repositoryRoot) {
    }

    /** The sealed YAML, and the file it was written to (null when it goes to standard output). */
    record Result(String environment, SealingScope scope, Path input, Path output, String yaml) {
    }

    /**
     * Everything the goal does, without Maven: checks the parameters, finds the repository and the environment's
     * certificate, seals, writes the output file if one was asked for. Problems are {@link BundleException}s whose
     * message is the whole story.
     */
    static Result seal(Request request, Path workingDir) {
        if (blank(request.environment())) {
            throw new BundleException("No environment to seal for: set -Dhomestack.seal.environment (make seal ENV=...)"
                    + " to one of " + String.join(", ", EnvironmentCertificates.ENVIRONMENTS));
        }
        if (blank(request.input())) {
            throw new BundleException("No Secret file to seal: set -Dhomestack.seal.input (make seal IN=...)"
                    + " to a file holding one v1 Secret");
        }
        SealingScope scope = SealingScope.parse(blank(request.scope()) ? "strict" : request.scope().strip());
        Path root = blank(request.repositoryRoot()) ? findRepositoryRoot(workingDir)
                : workingDir.resolve(request.repositoryRoot()).normalize();
        EnvironmentCertificates certificates = new EnvironmentCertificates(root);
        String env = request.environment().strip();
        certificates.certificatePath(env); // an unknown environment fails before anything is read

        Path input = workingDir.resolve(request.input()).normalize();
        String yaml = certificates.sealer(env).sealFile(input, scope);
        Path output = blank(request.output()) ? null : workingDir.resolve(request.output()).normalize();
        if (output != null) {
            writeAtomically(output, yaml);
        }
        return new Result(env, scope, input, output, yaml);
    }

    /** The nearest directory at or above {@code start} with a pom.xml and a clusters/ directory. */
    static Path findRepositoryRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("clusters")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new BundleException("No homestack repository at or above " + start + " (a directory with pom.xml and"
                + " clusters/): run from the repository, or set -Dhomestack.seal.repositoryRoot");
    }

    /** Writes beside the target and renames, so the file is either the old one or complete, never half-written. */
    static void writeAtomically(Path target, String content) {
        writeAtomically(target, content, null);
    }

    /**
     * @param permissions the file's mode, e.g. {@code rw-------} for plain text; null keeps an existing file's mode
     *                    and makes a new file {@code rw-r--r--}
     */
    static void writeAtomically(Path target, String content, String permissions) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            // createTempFile makes it owner-only; a SealedSecret is meant to be shared (and committed).
            if (Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(temp, permissions != null ? PosixFilePermissions.fromString(permissions)
                        : Files.exists(target) ? Files.getPosixFilePermissions(target)
                        : PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new BundleException("Cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort; the target is untouched either way
                }
            }
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
