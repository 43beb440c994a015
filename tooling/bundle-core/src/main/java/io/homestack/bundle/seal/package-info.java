/**
 * Sealed secrets, offline: {@link io.homestack.bundle.seal.SecretSealer} seals Secrets natively in the
 * kubeseal format (RSA-OAEP/SHA-256 wrapped AES-256-GCM session key per value, strict, namespace-wide or
 * cluster-wide scope), and {@link io.homestack.bundle.seal.Unsealer} opens SealedSecrets with the controller's
 * private keys or their backup (the {@code unseal} goal, for disaster recovery). The tests hold both to the real
 * {@code kubeseal} binary (their {@code KubesealCli}) in both directions.
 *
 * <p>Certificates per environment come from {@link io.homestack.bundle.seal.EnvironmentCertificates}:
 * k3d uses a committed test-only keypair, k3s only the production controller's public certificate.
 */
package io.homestack.bundle.seal;
