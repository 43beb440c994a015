package io.homestack.bundle.release;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RootApplicationTest {

    private static final ReleaseSpec K3D = new ReleaseSpec("release-k3d", "1.0.0", "k3d", "k3d-registry.localhost:5000", "homestack");
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void theRootApplicationPinsTheReleaseArtifactByDigestWithTheEnvironmentPath() {
        KubeObject app = RootApplication.objects(K3D, DIGEST, true).get(1);

        assertThat(app.kind()).isEqualTo("Application");
        assertThat(app.name()).isEqualTo("release-k3d");
        assertThat(app.namespace()).isEqualTo("argocd");
        Map<String, Object> spec = KubeObject.path(app.body(), "spec");
        assertThat(spec).containsEntry("project", "platform");
        assertThat(KubeObject.path(spec, "source")).containsEntry("repoURL", "oci://k3d-registry.localhost:5000/homestack/release-k3d")
                .containsEntry("targetRevision", DIGEST).containsEntry("path", "k3d");
        assertThat(KubeObject.path(spec, "syncPolicy", "automated")).containsEntry("prune", true).containsEntry("selfHeal", true);
        assertThat(app.metadata()).as("deleting the root must not cascade through every bundle").doesNotContainKey("finalizers");
    }

    @Test
    void theCredentialTemplateCoversEveryRepositoryOfTheReleaseAndCarriesNoSecret() {
        KubeObject creds = RootApplication.objects(K3D, DIGEST, false).get(0);

        assertThat(creds.labels()).containsEntry("argocd.argoproj.io/secret-type", "repo-creds");
        assertThat(creds.namespace()).isEqualTo("argocd");
        Map<String, Object> data = KubeObject.path(creds.body(), "stringData");
        assertThat(data).containsOnly(Map.entry("type", "oci"), Map.entry("url", "oci://k3d-registry.localhost:5000/homestack"));
        assertThat(K3D.repoUrl("storage")).startsWith(data.get("url") + "/");
        assertThat(creds.body()).doesNotContainKey("data");
    }

    @Test
    void onlyAPlainHttpRegistryGetsInsecureOciForceHttp() {
        assertThat(KubeObject.path(RootApplication.objects(K3D, DIGEST, true).get(0).body(), "stringData"))
                .containsEntry("insecureOCIForceHttp", "true");
        assertThat(KubeObject.path(RootApplication.objects(K3D, DIGEST, false).get(0).body(), "stringData"))
                .doesNotContainKey("insecureOCIForceHttp");
    }

    @Test
    void aMissingDigestIsRejected() {
        assertThatThrownBy(() -> RootApplication.objects(K3D, "0.1.0-SNAPSHOT", true)).isInstanceOf(BundleException.class)
                .hasMessageContaining("release release-k3d").hasMessageContaining("not a manifest digest");
    }

    @Test
    void theFileIsOneKubectlApply(@TempDir Path dir) throws IOException {
        Path file = RootApplication.file(dir, "k3d");
        RootApplication.write(RootApplication.objects(K3D, DIGEST, true), file);

        assertThat(file.getFileName().toString()).isEqualTo("root-application-k3d.yaml");
        List<Map<String, Object>> docs = Yaml.readAll(Files.readString(file), file.toString());
        assertThat(docs).extracting(d -> d.get("kind")).containsExactly("Secret", "Application");
        try (var left = Files.list(dir)) {
            assertThat(left).as("no partial file left behind").containsExactly(file);
        }
    }
}
