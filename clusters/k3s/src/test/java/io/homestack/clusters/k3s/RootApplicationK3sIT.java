package io.homestack.clusters.k3s;

import io.homestack.bundle.inventory.Inventory;
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

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * target/root-application-k3s.yaml (written in package): pinned to the release artifact just packaged, pulled over
 * HTTPS from the inventory's registry, and accepted by a real API server with the Argo CD CRDs. The sync itself is not
 * tested here (docs/decisions.md, "No k3s sync E2E yet").
 */
@HomestackCluster(topology = "k3s")
class RootApplicationK3sIT {

    static final Path MODULE = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();

    TestCluster cluster;

    @Test
    void theRootApplicationPinsTheReleaseJustPackagedAndIsOneKubectlApply() throws IOException {
        String registry = Inventory.read(MODULE.resolve("inventory.yaml")).requireRegistry();
        Path file = RootApplication.file(MODULE.resolve("target"), "k3s");
        List<KubeObject> objects = Yaml.readAll(Files.readString(file), file.toString()).stream()
                .map(body -> new KubeObject(body, file.getFileName().toString())).toList();

        assertThat(objects).extracting(KubeObject::kind).containsExactly("Secret", "Application");
        assertThat(KubeObject.path(objects.get(1).body(), "spec", "source"))
                .containsEntry("repoURL", "oci://" + registry + "/homestack/release-k3s")
                .containsEntry("targetRevision", OciLayout.read(MODULE.resolve("target/oci")).manifestDigest())
                .containsEntry("path", "k3s");
        assertThat(KubeObject.path(objects.get(0).body(), "stringData"))
                .containsEntry("url", "oci://" + registry + "/homestack").doesNotContainKey("insecureOCIForceHttp");

        cluster.apply("release-k3s", objects);

        assertThatCluster(cluster)
                .hasObject("v1", "Secret", "argocd", RootApplication.REGISTRY_CREDENTIALS)
                .hasObject("argoproj.io/v1alpha1", "Application", "argocd", "release-k3s");
    }
}
