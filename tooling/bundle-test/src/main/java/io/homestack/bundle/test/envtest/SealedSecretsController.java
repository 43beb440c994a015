package io.homestack.bundle.test.envtest;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.internal.Await;
import io.homestack.bundle.test.internal.Transient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sealed-secrets controller (build.sh's build reads KUBECONFIG), keeping its keys in kube-system. With the
 * repository's k3d test keypair loaded first as the active key, as the k3d bootstrap does, so that SealedSecrets
 * sealed for k3d unseal here too; key rotation is off so that it keeps sealing with that key.
 */
final class SealedSecretsController implements NativeController {

    static final String K3D_KEYPAIR = "clusters/k3d/sealed-secrets";
    private static final String NAME = "sealed-secrets-controller";

    private ManagedProcess process;
    private String certUrl;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> binaries() {
        return List.of(NAME);
    }

    @Override
    public void start(ControllerContext context) {
        Path keys = context.repo().resolve(K3D_KEYPAIR);
        Path crt = keys.resolve("sealed-secrets-k3d.crt");
        Path key = keys.resolve("sealed-secrets-k3d.key");
        if (Files.isRegularFile(crt) && Files.isRegularFile(key)) {
            var secret = new SecretBuilder()
                    .withNewMetadata().withName("sealed-secrets-k3d-test-key").withNamespace("kube-system")
                    .addToLabels("sealedsecrets.bitnami.com/sealed-secrets-key", "active").endMetadata()
                    .withType("kubernetes.io/tls")
                    .addToData("tls.crt", Base64.getEncoder().encodeToString(Kubeconfig.read(crt)))
                    .addToData("tls.key", Base64.getEncoder().encodeToString(Kubeconfig.read(key)))
                    .build();
            Transient.retry("loading the k3d sealing key", Duration.ofSeconds(120),
                    () -> context.client().resource(secret).serverSideApply());
        }
        int port = FreePorts.next();
        process = context.launch(NAME, List.of(context.bin(NAME),
                        "--listen-addr", "127.0.0.1:" + port, "--listen-metrics-addr", "127.0.0.1:" + FreePorts.next(),
                        "--key-renew-period", "0"),
                Map.of("KUBECONFIG", context.kubeconfig().toString(), "POD_NAMESPACE", "kube-system"));
        certUrl = "http://127.0.0.1:" + port + "/v1/cert.pem";
    }

    /** Ready once it serves the certificate it seals with (GET /v1/cert.pem). */
    @Override
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (certificate().isEmpty()) {
            if (!process.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the sealed-secrets controller does not serve its certificate at "
                        + certUrl + ": " + process.report());
            }
            Await.sleep(100);
        }
    }

    private Optional<String> certificate() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(certUrl))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.terminate();
            process.awaitStop(5_000);
        }
    }
}
