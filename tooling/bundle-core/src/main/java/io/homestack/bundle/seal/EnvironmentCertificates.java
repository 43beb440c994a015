package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where each environment's sealing certificate lives in the repository:
 * {@code clusters/<env>/sealed-secrets/sealed-secrets-<env>.crt}. k3d's is a committed test-only
 * keypair; k3s's is the production controller's public certificate, fetched once and committed.
 */
public final class EnvironmentCertificates {

    public static final List<String> ENVIRONMENTS = List.of("k3d", "k3s");

    private final Path repoRoot;

    public EnvironmentCertificates(Path repoRoot) {
        this.repoRoot = repoRoot;
    }

    /** The certificate path for an environment, whether or not the file exists yet. */
    public Path certificatePath(String environment) {
        if (!ENVIRONMENTS.contains(environment)) {
            throw new BundleException("Unknown environment '" + environment + "'; known environments: "
                    + String.join(", ", ENVIRONMENTS));
        }
        return repoRoot.resolve("clusters").resolve(environment).resolve("sealed-secrets")
                .resolve("sealed-secrets-" + environment + ".crt");
    }

    public SealingCertificate load(String environment) {
        Path path = certificatePath(environment);
        if (!Files.exists(path)) {
            String relative = repoRoot.relativize(path).toString();
            if ("k3s".equals(environment)) {
                throw new BundleException("No production sealed-secrets certificate for k3s: " + relative
                        + " does not exist. Fetch it from the cluster after the bootstrap with `kubeseal --fetch-cert > "
                        + relative + "` and commit it (see clusters/k3s/sealed-secrets/README.md); nothing can be"
                        + " sealed for k3s before that.");
            }
            throw new BundleException("No sealed-secrets certificate for " + environment + ": " + relative
                    + " does not exist");
        }
        return SealingCertificate.load(path);
    }

    /** A sealer for an environment's certificate. */
    public SecretSealer sealer(String environment) {
        return new SecretSealer(load(environment));
    }
}
