package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.seal.SealYaml;
import io.homestack.bundle.seal.SecretManifest;
import io.homestack.bundle.seal.Unsealer;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Disaster recovery: opens a SealedSecret offline with the controller's private keys, from the key backup
 * (docs/sealed-secrets.md) or PEM key files, and prints the Secret or writes it (mode 0600) to a file. Also proves that
 * a backup opens the SealedSecrets in Git before you need it. What {@code make unseal KEY=... IN=...} runs:
 *
 * <pre>mvn -q -o -N io.homestack:bundle-maven-plugin:&lt;version&gt;:unseal -Dhomestack.unseal.keys=key-backup.yaml \
 *     -Dhomestack.unseal.input=sealedsecret.yaml [-Dhomestack.unseal.output=secret.yaml]</pre>
 */
@Mojo(name = "unseal", requiresProject = false, threadSafe = true)
public class UnsealMojo extends ProjectlessMojo {

    /** Key files, comma-separated: the kubectl key backup (a List of Secrets) or PEM private keys. */
    @Parameter(property = "homestack.unseal.keys")
    private String keys;

    /** The SealedSecret file; relative to the directory Maven runs in. */
    @Parameter(property = "homestack.unseal.input")
    private String input;

    /** Where to write the Secret (mode 0600, replaced atomically); standard output when not set. */
    @Parameter(property = "homestack.unseal.output")
    private String output;

    @Override
    public void execute() throws MojoFailureException {
        try {
            String yaml = unseal(keys, input, output, workingDir());
            if (output == null || output.isBlank()) {
                print(yaml);
            } else {
                getLog().info("Unsealed " + input + " into " + output + " (plain text: delete it when done)");
            }
        } catch (BundleException e) {
            throw failure(e);
        }
    }

    /** Everything the goal does, without Maven: returns the Secret's YAML, written to {@code output} if given. */
    static String unseal(String keys, String input, String output, Path workingDir) {
        if (keys == null || keys.isBlank()) {
            throw new BundleException("No private key to unseal with: set -Dhomestack.unseal.keys (make unseal KEY=...)"
                    + " to the key backup (docs/sealed-secrets.md) or PEM key files, comma-separated");
        }
        if (input == null || input.isBlank()) {
            throw new BundleException("No SealedSecret to unseal: set -Dhomestack.unseal.input (make unseal IN=...)");
        }
        Unsealer unsealer = Unsealer.load(Arrays.stream(keys.split(",")).map(String::strip)
                .filter(k -> !k.isEmpty()).map(k -> workingDir.resolve(k).normalize()).toArray(Path[]::new));
        SecretManifest secret = unsealer.unsealFile(workingDir.resolve(input).normalize());
        String yaml = SealYaml.write(secret.toObject());
        if (output != null && !output.isBlank()) {
            SealMojo.writeAtomically(workingDir.resolve(output).normalize(), yaml, "rw-------");
        }
        return yaml;
    }
}
