package io.homestack.bundle.test.envtest;

import io.fabric8.kubeapitest.cert.CertManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** The run's kubeconfig: the API server on loopback, its CA, and the {@code system:masters} client certificate. */
final class Kubeconfig {

    private Kubeconfig() {
    }

    /** Writes the file and returns its text. */
    static String write(Path file, int apiPort, Path pki) {
        Base64.Encoder b64 = Base64.getEncoder();
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: envtest
                  cluster:
                    server: https://127.0.0.1:%d
                    certificate-authority-data: %s
                users:
                - name: envtest-admin
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                contexts:
                - name: envtest
                  context:
                    cluster: envtest
                    user: envtest-admin
                    namespace: default
                current-context: envtest
                """.formatted(apiPort, b64.encodeToString(read(pki.resolve(CertManager.API_SERVER_CERT_NAME))),
                b64.encodeToString(read(pki.resolve(CertManager.CLIENT_CERT_NAME))),
                b64.encodeToString(read(pki.resolve(CertManager.CLIENT_KEY_NAME))));
        try {
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return yaml;
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
