package io.homestack.bundle.test.release;

import io.homestack.bundle.k8s.KubeObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The release build's root Application, pointed at the relocated release on the local registry. */
class ReleaseHarnessTest {

    static final String ROOT = """
            apiVersion: v1
            kind: Secret
            metadata: {name: homestack-release-registry, namespace: argocd}
            stringData: {type: oci, url: oci://k3d-registry.localhost:5000/homestack}
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: release-k3d, namespace: argocd}
            spec:
              project: platform
              source: {path: k3d, repoURL: oci://k3d-registry.localhost:5000/homestack/release-k3d, targetRevision: sha256:aaa}
            """;

    @Test
    void theRootApplicationPointsAtTheRelocatedReleaseOverPlainHttp(@TempDir Path repo) throws IOException {
        ReleaseModule release = ReleaseModule.of(ReleaseModuleTest.builtRelease(repo, ROOT), "clusters/k3d");
        List<KubeObject> root = new ReleaseHarness(release, "127.0.0.1:5999", repo.resolve("work"))
                .rootApplication("preview", "sha256:bbb");

        assertThat(root).extracting(KubeObject::kind).containsExactly("Secret", "Application");
        Map<String, Object> secret = KubeObject.path(root.get(0).body(), "stringData");
        assertThat(secret).containsEntry("url", "oci://127.0.0.1:5999/homestack-mirror")
                .containsEntry("insecureOCIForceHttp", "true").containsEntry("type", "oci");
        assertThat(root.get(1).name()).isEqualTo("preview");
        assertThat(KubeObject.path(root.get(1).body(), "spec", "source"))
                .containsEntry("repoURL", "oci://127.0.0.1:5999/homestack-mirror/release-k3d")
                .containsEntry("targetRevision", "sha256:bbb").containsEntry("path", "k3d");
    }
}
