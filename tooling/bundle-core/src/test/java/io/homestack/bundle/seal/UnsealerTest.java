package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnsealerTest {

    @TempDir
    Path tmp;

    private final SecretSealer sealer = SealTestSupport.k3dSealer();

    @Test
    void readsPkcs1KeysAsTheControllerStoresThem() {
        Path pkcs1 = tmp.resolve("tls.key");
        SealTestSupport.openssl("rsa", "-in", SealTestSupport.k3dKeyFile().toString(), "-traditional", "-out", pkcs1.toString());
        assertThat(contentOf(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        String sealed = sealer.sealValue("a", "b", "v", SealingScope.STRICT);
        assertThat(Unsealer.load(pkcs1).unsealValue("a", "b", SealingScope.STRICT, sealed)).isEqualTo("v".getBytes());
    }

    @Test
    void triesEveryKeyLikeTheControllerAfterAKeyRenewal() {
        Path other = tmp.resolve("other.key");
        SealTestSupport.openssl("genrsa", "-out", other.toString(), "2048");
        String sealed = sealer.sealValue("a", "b", "v", SealingScope.STRICT);

        assertThat(Unsealer.load(other, SealTestSupport.k3dKeyFile()).unsealValue("a", "b", SealingScope.STRICT, sealed))
                .isEqualTo("v".getBytes());
        assertThatThrownBy(() -> Unsealer.load(other).unsealValue("a", "b", SealingScope.STRICT, sealed))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("none of the 1 private key(s) can unseal it");
    }

    @Test
    void readsTheKeyBackupKubectlWrites() throws Exception {
        Path other = tmp.resolve("other.key");
        SealTestSupport.openssl("genrsa", "-out", other.toString(), "2048");
        Path backup = tmp.resolve("key-backup.yaml");
        Files.writeString(backup, """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Secret
                  type: kubernetes.io/tls
                  metadata: {name: sealed-secrets-keyold, namespace: kube-system}
                  data: {tls.crt: Y2VydA==, tls.key: %s}
                - apiVersion: v1
                  kind: Secret
                  type: kubernetes.io/tls
                  metadata: {name: sealed-secrets-keynew, namespace: kube-system}
                  data: {tls.crt: Y2VydA==, tls.key: %s}
                metadata: {resourceVersion: ""}
                """.formatted(base64(other), base64(SealTestSupport.k3dKeyFile())));
        String sealed = sealer.sealValue("a", "b", "v", SealingScope.STRICT);

        assertThat(Unsealer.load(backup).unsealValue("a", "b", SealingScope.STRICT, sealed)).isEqualTo("v".getBytes());

        Path oneSecret = tmp.resolve("one-secret.yaml");
        Files.writeString(oneSecret, "kind: Secret\ndata:\n  tls.key: " + base64(other) + "\n");
        assertThatThrownBy(() -> Unsealer.load(oneSecret).unsealValue("a", "b", SealingScope.STRICT, sealed))
                .hasMessageContaining("none of the 1 private key(s) can unseal it");
        Path noKey = tmp.resolve("configmap.yaml");
        Files.writeString(noKey, "kind: ConfigMap\ndata: {tls.key: x}\n");
        assertThatThrownBy(() -> Unsealer.load(noKey)).isInstanceOf(BundleException.class)
                .hasMessageContaining(noKey + " holds no PEM RSA private key and no Secret with data.tls.key");
    }

    private static String base64(Path file) throws Exception {
        return java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }

    @Test
    void badKeyFilesAreReported() throws Exception {
        Path encrypted = tmp.resolve("encrypted.key");
        SealTestSupport.openssl("pkey", "-in", SealTestSupport.k3dKeyFile().toString(), "-aes256",
                "-passout", "pass:secret", "-out", encrypted.toString());
        assertThatThrownBy(() -> Unsealer.load(encrypted))
                .isInstanceOf(BundleException.class).hasMessageContaining("passphrase-protected");
        assertThatThrownBy(() -> Unsealer.load(SealTestSupport.k3dCertificateFile()))
                .isInstanceOf(BundleException.class).hasMessageContaining("holds no PEM RSA private key");
        assertThatThrownBy(() -> Unsealer.load(tmp.resolve("missing.key")))
                .isInstanceOf(BundleException.class).hasMessageContaining("not found: " + tmp.resolve("missing.key"));
    }

    @Test
    void onlySealedSecretsAreUnsealed() {
        Map<String, Object> secret = SecretManifest.of("a", "b", Map.of("k", new byte[] {1})).toObject();
        assertThatThrownBy(() -> SealTestSupport.k3dUnsealer().unseal(secret, "secret.yaml"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("secret.yaml: Secret a/b is a Secret, not a SealedSecret");
    }

    private static String contentOf(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
