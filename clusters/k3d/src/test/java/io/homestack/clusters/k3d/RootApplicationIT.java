package io.homestack.clusters.k3d;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.release.RootApplication;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the release build writes to deploy it (target/root-application-k3d.yaml, after package): pinned to the digest
 * of the release artifact just packaged, and accepted by a real API server with the Argo CD CRDs (strict server-side
 * apply). That Argo CD syncs it is the E2E's part.
 */
@HomestackCluster
class RootApplicationIT {

    private static final Path MODULE = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();

    private TestCluster cluster;

    @Test
    void theRootApplicationPinsTheReleaseJustPackagedAndIsOneKubectlApply() throws IOException {
        List<KubeObject> objects = objects();
        String digest = OciLayout.read(MODULE.resolve("target/oci")).manifestDigest();

        assertThat(objects).extracting(KubeObject::kind).containsExactly("Secret", "Application");
        KubeObject root = objects.get(1);
        assertThat(KubeObject.path(root.body(), "spec", "source"))
                .containsEntry("repoURL", "oci://registry.localhost:5111/homestack/release-k3d")
                .containsEntry("targetRevision", digest).containsEntry("path", "k3d");
        assertThat(KubeObject.path(objects.get(0).body(), "stringData"))
                .containsEntry("url", "oci://registry.localhost:5111/homestack")
                .containsEntry("insecureOCIForceHttp", "true");

        cluster.apply("release-k3d", objects);

        assertThatCluster(cluster)
                .hasObject("v1", "Secret", "argocd", RootApplication.REGISTRY_CREDENTIALS)
                .hasObject("argoproj.io/v1alpha1", "Application", "argocd", "release-k3d");
    }

    private static List<KubeObject> objects() throws IOException {
        Path file = RootApplication.file(MODULE.resolve("target"), "k3d");
        assertThat(file).as("written by the root-application goal in package").isRegularFile();
        return Yaml.readAll(Files.readString(file), file.toString()).stream()
                .map(body -> new KubeObject((Map<String, Object>) body, file.getFileName().toString())).toList();
    }
}
