package io.homestack.bundle.test.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The release module's build output as the harness reads it (a module tree written here, no build). */
class ReleaseModuleTest {

    /** A built release module: its OCI layout, root Application and release.json. */
    static Path builtRelease(Path repo, String rootApplication) throws IOException {
        Path target = repo.resolve("clusters/k3d/target");
        Files.createDirectories(target.resolve("oci"));
        Files.createDirectories(target.resolve("bundle/.homestack"));
        Files.writeString(target.resolve("root-application-k3d.yaml"), rootApplication);
        Files.writeString(target.resolve("bundle/.homestack/release.json"), """
                {"bundles": [{"name": "storage", "wave": 0}, {"name": "ingress", "wave": 1}, {"name": "media", "wave": 2}]}
                """);
        return repo;
    }

    @Test
    void aReleaseNotBuiltFailsNamingTheMissingFileAndTheBuild(@TempDir Path repo) throws IOException {
        Files.createDirectories(repo.resolve("clusters/k3d/target/oci"));
        assertThatThrownBy(() -> ReleaseModule.of(repo, "clusters/k3d"))
                .hasMessageContaining("release clusters/k3d is not built: no " + repo.resolve("clusters/k3d/target/root-application-k3d.yaml"))
                .hasMessageContaining("mvn install -pl clusters/k3d -am -DskipTests");
    }

    @Test
    void theEnvironmentNameAndWavesComeFromTheModule(@TempDir Path repo) throws IOException {
        ReleaseModule release = ReleaseModule.of(builtRelease(repo, ""), "clusters/k3d");
        assertThat(release.environment()).isEqualTo("k3d");
        assertThat(release.name()).isEqualTo("release-k3d");
        assertThat(release.waves()).isEqualTo(Map.of("storage", 0, "ingress", 1, "media", 2));
    }
}
