package io.homestack.bundle.test.engine;

import io.homestack.bundle.ExternalProcess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * cosign (build.sh cosign, COSIGN_VERSION: what release.yaml signs with) run offline against a local registry: a key
 * pair instead of keyless signing, and no transparency log (Fulcio, Rekor and the TUF root are Sigstore's services,
 * unreachable from the test machines). Its own config and caches go to a private HOME, so nothing of the user's
 * (~/.docker credentials, ~/.sigstore) is read or written.
 */
public final class Cosign {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path binary;
    private final Path home;

    public Cosign(Path binary, Path home) {
        this.binary = binary;
        this.home = home;
    }

    /** cosign in the test binaries directory, with {@code home} as its HOME; skipped, or failed in CI, when missing. */
    public static Cosign locate(Path home) {
        return new Cosign(EngineBinaries.require("cosign"), home);
    }

    /** The result of one cosign command. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        public boolean ok() {
            return exitCode == 0;
        }

        /** Both streams, for assertions on cosign's messages and for failure reports. */
        public String output() {
            return stdout + stderr;
        }

        public Result requireOk() {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode + ":\n" + output());
            }
            return this;
        }
    }

    /** A generated key pair: {@code cosign.key} (encrypted with {@code password}) and {@code cosign.pub}. */
    public record KeyPair(Path privateKey, Path publicKey, String password) {
    }

    /** {@code cosign generate-key-pair} in {@code dir}. */
    public KeyPair generateKeyPair(Path dir, String password) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        run(dir, Map.of("COSIGN_PASSWORD", password), "generate-key-pair").requireOk();
        return new KeyPair(dir.resolve("cosign.key"), dir.resolve("cosign.pub"), password);
    }

    /**
     * Signs {@code reference} (registry/repository@digest) with the key and uploads the signature to the registry.
     * cosign v3's defaults would ask the public Sigstore TUF repository for a signing config and upload to Rekor:
     * {@code --use-signing-config=false --tlog-upload=false} keep it offline (with the config, v3 refuses
     * --tlog-upload=false); the signature is still the v3 default, a Sigstore bundle as an OCI 1.1 referrer.
     */
    public Result sign(KeyPair key, String reference) {
        return run(home, Map.of("COSIGN_PASSWORD", key.password()), "sign", "--key", key.privateKey().toString(),
                "--use-signing-config=false", "--tlog-upload=false", "--allow-http-registry", "--yes", reference);
    }

    /** {@code cosign verify} with the public key, no transparency log; the result, passed or not. */
    public Result verify(KeyPair key, String reference) {
        return run(home, Map.of(), "verify", "--key", key.publicKey().toString(), "--insecure-ignore-tlog=true",
                "--allow-http-registry", reference);
    }

    /** Any cosign command, run in {@code dir}. */
    public Result run(Path dir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Map<String, String> environment = new HashMap<>(env);
        environment.put("HOME", home.toString());
        environment.put("DOCKER_CONFIG", home.resolve(".docker").toString());
        environment.put("TUF_ROOT", home.resolve(".sigstore").toString());
        ExternalProcess.Result r = ExternalProcess.run(command, dir, environment, new byte[0], TIMEOUT);
        return new Result(command, r.exitCode(), new String(r.stdout(), StandardCharsets.UTF_8), r.stderr());
    }
}
