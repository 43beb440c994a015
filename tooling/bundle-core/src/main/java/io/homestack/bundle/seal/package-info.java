/**
 * Sealed secrets, offline: {@link io.homestack.bundle.seal.SecretSealer} seals Secrets natively in the
 * kubeseal format (RSA-OAEP/SHA-256 wrapped AES-256-GCM session key per value, strict, namespace-wide or
 * cluster-wide scope), {@link io.homestack.bundle.seal.KubesealCli} wraps the {@code kubeseal} binary for the
 * same jobs, and {@link io.homestack.bundle.seal.Unsealer} opens either's output with a private key. Both
 * sealers are interchangeable; the tests hold them to that against the real kubeseal.
 *
 * <p>Certificates per environment come from {@link io.homestack.bundle.seal.EnvironmentCertificates}:
 * k3d uses a committed test-only keypair, k3s only the production controller's public certificate.
 */
package io.homestack.bundle.seal;
