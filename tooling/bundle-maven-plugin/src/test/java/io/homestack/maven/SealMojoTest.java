package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.seal.SealYaml;
import io.homestack.bundle.seal.SecretManifest;
import io.homestack.bundle.seal.SealingScope;
import io.homestack.bundle.seal.Unsealer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seal goal's logic ({@link SealMojo#seal}) against a copy of the repository's k3d certificate. */
class SealMojoTest {

    static final String SECRET = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: sonarr-api-key
              namespace: media
            stringData:
              api-key: 0123456789abcdef0123456789abcdef
            """;

    @TempDir
    Path repo;

    private Path work;

    @BeforeEach
    void repository() throws IOException {
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Path k3d = Files.createDirectories(repo.resolve("clusters/k3d/sealed-secrets"));
        Files.copy(realRepository().resolve("clusters/k3d/sealed-secrets/sealed-secrets-k3d.crt"),
                k3d.resolve("sealed-secrets-k3d.crt"));
        Files.createDirectories(repo.resolve("clusters/k3s/sealed-secrets"));
        work = Files.createDirectories(repo.resolve("apps/media"));
        Files.writeString(work.resolve("secret.yaml"), SECRET);
    }

    @Test
    void sealsForK3dWithTheRepositorysCertificateSoTheK3dKeyUnsealsIt() {
        SealMojo.Result result = SealMojo.seal(request("k3d", "secret.yaml", null, null), work);

        assertThat(result.output()).isNull();
        assertThat(result.scope()).isEqualTo(SealingScope.STRICT);
        Map<String, Object> sealed = SealYaml.read(result.yaml(), "output");
        assertThat(sealed).containsEntry("kind", "SealedSecret").containsEntry("apiVersion", "bitnami.com/v1alpha1");
        assertThat(result.yaml()).doesNotContain("0123456789abcdef0123456789abcdef");

        SecretManifest opened = k3dUnsealer().unseal(sealed, "output");
        assertThat(opened.namespace()).isEqualTo("media");
        assertThat(opened.name()).isEqualTo("sonarr-api-key");
        assertThat(new String(opened.data().get("api-key"), StandardCharsets.UTF_8))
                .isEqualTo("0123456789abcdef0123456789abcdef");
    }

    @Test
    void theScopeIsWrittenAsTheControllerReadsIt() {
        SealMojo.Result result = SealMojo.seal(request("k3d", "secret.yaml", "namespace-wide", null), work);

        assertThat(result.scope()).isEqualTo(SealingScope.NAMESPACE_WIDE);
        assertThat(result.yaml()).contains("sealedsecrets.bitnami.com/namespace-wide");
        assertThat(k3dUnsealer().unseal(SealYaml.read(result.yaml(), "output"), "output").name())
                .isEqualTo("sonarr-api-key");
    }

    @Test
    void writesTheOutputFileWhenAskedAndNothingBeside() throws IOException {
        Path target = work.resolve("manifests/k3d/sealedsecret-sonarr-api-key.yaml");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "old content\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));

        SealMojo.Result result = SealMojo.seal(request("k3d", "secret.yaml", null,
                "manifests/k3d/sealedsecret-sonarr-api-key.yaml"), work);

        assertThat(result.output()).isEqualTo(target);
        assertThat(Files.readString(target)).isEqualTo(result.yaml()).contains("kind: SealedSecret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .as("the permissions of the file it replaced").isEqualTo("rw-rw----");
        try (var files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left behind")
                    .containsExactly("sealedsecret-sonarr-api-key.yaml");
        }
    }

    @Test
    void aNewOutputFileIsReadableLikeAnyOtherFileToCommit() throws IOException {
        SealMojo.seal(request("k3d", "secret.yaml", null, "new/sealed.yaml"), work);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("new/sealed.yaml"))))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void findsTheRepositoryFromAnyDirectoryInsideIt() {
        assertThat(SealMojo.findRepositoryRoot(work)).isEqualTo(repo.toAbsolutePath().normalize());
        assertThat(SealMojo.findRepositoryRoot(repo)).isEqualTo(repo.toAbsolutePath().normalize());
    }

    @Test
    void aFileThatIsNotASecretIsRejectedNamingTheFileAndTheKind() throws IOException {
        Files.writeString(work.resolve("configmap.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: media
                data:
                  a: b
                """);

        assertThatThrownBy(() -> SealMojo.seal(request("k3d", "configmap.yaml", null, null), work))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith(work.resolve("configmap.yaml").toString())
                .hasMessageContaining("is a ConfigMap, not a Secret");
    }

    @Test
    void aMissingInputFileIsNamed() {
        assertThatThrownBy(() -> SealMojo.seal(request("k3d", "nope.yaml", null, null), work))
                .isInstanceOf(BundleException.class).hasMessage("File not found: " + work.resolve("nope.yaml"));
    }

    @Test
    void k3sWithoutItsProductionCertificateSaysHowToGetIt() {
        assertThatThrownBy(() -> SealMojo.seal(request("k3s", "secret.yaml", null, null), work))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("No production sealed-secrets certificate for k3s: "
                        + "clusters/k3s/sealed-secrets/sealed-secrets-k3s.crt does not exist")
                .hasMessageContaining("kubeseal --fetch-cert");
    }

    @Test
    void anUnknownEnvironmentListsTheKnownOnesBeforeReadingAnything() {
        assertThatThrownBy(() -> SealMojo.seal(request("prod", "nope.yaml", null, null), work))
                .isInstanceOf(BundleException.class)
                .hasMessage("Unknown environment 'prod'; known environments: k3d, k3s");
    }

    @Test
    void anUnknownScopeListsTheKnownOnes() {
        assertThatThrownBy(() -> SealMojo.seal(request("k3d", "secret.yaml", "global", null), work))
                .isInstanceOf(BundleException.class)
                .hasMessage("Unknown sealing scope 'global'; expected one of strict, namespace-wide, cluster-wide");
    }

    @Test
    void missingParametersSayWhichPropertyToSet() {
        assertThatThrownBy(() -> SealMojo.seal(request(null, "secret.yaml", null, null), work))
                .hasMessageStartingWith("No environment to seal for: set -Dhomestack.seal.environment");
        assertThatThrownBy(() -> SealMojo.seal(request("k3d", " ", null, null), work))
                .hasMessageStartingWith("No Secret file to seal: set -Dhomestack.seal.input");
    }

    @Test
    void outsideARepositoryItSaysSo(@TempDir Path elsewhere) {
        assertThatThrownBy(() -> SealMojo.findRepositoryRoot(elsewhere))
                .isInstanceOf(BundleException.class).hasMessageStartingWith("No homestack repository at or above");
    }

    // --- helpers ---

    private static SealMojo.Request request(String env, String input, String scope, String output) {
        return new SealMojo.Request(env, input, scope, output, null);
    }

    private static Unsealer k3dUnsealer() {
        return Unsealer.load(realRepository().resolve("clusters/k3d/sealed-secrets/sealed-secrets-k3d.key"));
    }

    /** This repository (the module runs its tests in tooling/bundle-maven-plugin). */
    static Path realRepository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("clusters/k3d/sealed-secrets"))) {
                return dir;
            }
        }
        throw new AssertionError("no clusters/k3d/sealed-secrets above " + Path.of("").toAbsolutePath());
    }
}
