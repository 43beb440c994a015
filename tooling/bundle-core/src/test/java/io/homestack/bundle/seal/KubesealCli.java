package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.ExternalProcess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code kubeseal} CLI (v0.36.x flags), used offline only: sealing with {@code --cert} and
 * recovery-unsealing with {@code --recovery-private-key}. It is run with {@code KUBECONFIG} pointing
 * at nothing, so no kubeconfig of the user's can change a namespace or make it reach for a cluster.
 * Input goes through stdin (values never appear on a command line); failures carry kubeseal's stderr.
 * Test code: the tests hold homestack's own sealer and unsealer to the real kubeseal with it.
 */
public final class KubesealCli {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern VERSION = Pattern.compile("kubeseal version: (\\S+)");

    private final Path executable;
    private final Duration timeout;

    public KubesealCli(Path executable) {
        this(executable, DEFAULT_TIMEOUT);
    }

    public KubesealCli(Path executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** A configured path if given, otherwise whatever {@link KubesealLocator} finds. */
    public static Optional<KubesealCli> find(Path configured) {
        if (configured != null) {
            if (!Files.isRegularFile(configured) || !Files.isExecutable(configured)) {
                throw new BundleException("Configured kubeseal " + configured + " is not an executable file");
            }
            return Optional.of(new KubesealCli(configured));
        }
        return new KubesealLocator().locate().map(KubesealCli::new);
    }

    public Path executable() {
        return executable;
    }

    /** The version kubeseal reports, e.g. {@code v0.36.6}. */
    public String version() {
        String out = run(List.of("--version"), new byte[0]);
        Matcher m = VERSION.matcher(out);
        if (!m.find()) {
            throw new BundleException(executable + " --version printed '" + out.strip() + "', not a kubeseal version");
        }
        return m.group(1);
    }

    /**
     * Seals a Secret into SealedSecret YAML ({@code kubeseal --cert … --format yaml --scope …}). The scope
     * annotations on the input are set to {@code scope} first, so that, as with {@link SecretSealer}, the
     * explicit scope wins (kubeseal alone lets the input's annotations override {@code --scope strict}).
     */
    public String seal(SecretManifest secret, SealingScope scope, Path certificate) {
        SecretManifest normalized = secret.withAnnotations(SecretSealer.withScopeAnnotation(secret.annotations(), scope));
        byte[] input = SealYaml.write(normalized.toObject()).getBytes(StandardCharsets.UTF_8);
        return run(List.of("--cert", existing(certificate).toString(), "--format", "yaml", "--scope", scope.cliName()), input);
    }

    /** Seals one value ({@code kubeseal --raw}) and returns the base64 ciphertext. */
    public String sealValue(String namespace, String name, byte[] value, SealingScope scope, Path certificate) {
        List<String> args = new ArrayList<>(List.of("--raw", "--cert", existing(certificate).toString(),
                "--scope", scope.cliName()));
        if (scope.needsNamespace()) {
            args.addAll(List.of("--namespace", namespace == null ? "" : namespace));
        }
        if (scope == SealingScope.STRICT) {
            args.addAll(List.of("--name", name == null ? "" : name));
        }
        return run(args, value).strip();
    }

    /**
     * Opens SealedSecret YAML with private keys ({@code kubeseal --recovery-unseal
     * --recovery-private-key k1,k2 --format yaml}) and returns the Secret YAML it prints.
     */
    public String recoveryUnseal(String sealedSecretYaml, Path... privateKeys) {
        if (privateKeys.length == 0) {
            throw new IllegalArgumentException("at least one private key is needed");
        }
        String keys = Arrays.stream(privateKeys).map(KubesealCli::existing).map(Path::toString)
                .collect(Collectors.joining(","));
        return run(List.of("--recovery-unseal", "--recovery-private-key", keys, "--format", "yaml"),
                sealedSecretYaml.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #recoveryUnseal} parsed back into a Secret. */
    public SecretManifest recoveryUnsealToSecret(String sealedSecretYaml, Path... privateKeys) {
        String yaml = recoveryUnseal(sealedSecretYaml, privateKeys);
        return SecretManifest.fromObject(SealYaml.read(yaml, "kubeseal --recovery-unseal output"),
                "kubeseal --recovery-unseal output");
    }

    private String run(List<String> args, byte[] stdin) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        // A path that does not exist: clientcmd skips it, so no kubeconfig is read at all.
        Map<String, String> env = Map.of("KUBECONFIG", Path.of(System.getProperty("java.io.tmpdir"),
                "homestack-kubeseal-no-kubeconfig").toString());
        ExternalProcess.Result result = ExternalProcess.run(command, env, stdin, timeout);
        if (result.exitCode() != 0) {
            throw new BundleException(ExternalProcess.display(command) + " failed (exit " + result.exitCode() + "): "
                    + (result.stderr().isEmpty() ? "no message on stderr" : result.stderr()));
        }
        return new String(result.stdout(), StandardCharsets.UTF_8);
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BundleException("File not found: " + file);
        }
        return file;
    }
}
