package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.seal.SealYaml;
import io.homestack.bundle.seal.SecretManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The unseal goal's logic ({@link UnsealMojo#unseal}): what {@code make seal ENV=k3d} sealed, the k3d key opens. */
class UnsealMojoTest {

    private static final String SECRET = SealMojoTest.SECRET;

    @TempDir
    Path work;

    private Path sealedForK3d() throws IOException {
        Path repo = realRepository();
        Files.writeString(work.resolve("secret.yaml"), SECRET);
        SealMojo.seal(new SealMojo.Request("k3d", "secret.yaml", null, "sealed.yaml", repo.toString()), work);
        Files.copy(repo.resolve("clusters/k3d/sealed-secrets/sealed-secrets-k3d.key"), work.resolve("k3d.key"));
        return work.resolve("sealed.yaml");
    }

    @Test
    void printsTheSecretTheControllerWouldCreate() throws IOException {
        sealedForK3d();

        String yaml = UnsealMojo.unseal("k3d.key", "sealed.yaml", null, work);

        SecretManifest secret = SecretManifest.fromObject(SealYaml.read(yaml, "output"), "output");
        assertThat(secret.namespace()).isEqualTo("media");
        assertThat(secret.name()).isEqualTo("sonarr-api-key");
        assertThat(secret.stringValue("api-key")).isEqualTo("0123456789abcdef0123456789abcdef");
    }

    @Test
    void writesThePlainTextOnlyForItsOwner() throws IOException {
        sealedForK3d();

        UnsealMojo.unseal("k3d.key", "sealed.yaml", "out/secret.yaml", work);

        Path out = work.resolve("out/secret.yaml");
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(out)).contains("kind: Secret").contains("api-key:");
    }

    @Test
    void aWrongKeySaysItCannotOpenAndWritesNothing() throws IOException {
        sealedForK3d();
        Files.copy(realRepository().resolve("tooling/bundle-core/src/test/resources/seal/empty-issuer.key"),
                work.resolve("other.key"));

        assertThatThrownBy(() -> UnsealMojo.unseal("other.key", "sealed.yaml", "opened.yaml", work))
                .isInstanceOf(BundleException.class).hasMessageContaining("can unseal it");
        assertThat(work.resolve("opened.yaml")).doesNotExist();
    }

    @Test
    void missingParametersSayWhichPropertyToSet() {
        assertThatThrownBy(() -> UnsealMojo.unseal(null, "sealed.yaml", null, work))
                .hasMessageContaining("-Dhomestack.unseal.keys (make unseal KEY=...)");
        assertThatThrownBy(() -> UnsealMojo.unseal("k3d.key", " ", null, work))
                .hasMessageContaining("-Dhomestack.unseal.input (make unseal IN=...)");
    }

    private static Path realRepository() {
        return SealMojoTest.realRepository();
    }
}
