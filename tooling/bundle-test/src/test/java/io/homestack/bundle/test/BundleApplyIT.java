package io.homestack.bundle.test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A rendered bundle (src/test/resources/sample-bundle, as target/bundle looks) applied the way a bundle IT does it. */
@HomestackCluster
class BundleApplyIT {

    @Test
    void aRenderedBundleAppliesAndItsWorkloadsBecomeReady(TestCluster cluster) {
        List<HasMetadata> applied = cluster.apply(BundleOutput.of(Path.of("src/test/resources/sample-bundle")), "k3d");

        assertThat(applied).extracting(HasMetadata::getKind).startsWith("Namespace", "Namespace")
                .contains("Deployment", "VirtualService", "ServiceMonitor", "Application", "PersistentVolumeClaim");
        assertThatCluster(cluster)
                .hasObject("networking.istio.io/v1", "VirtualService", "demo", "web")
                .hasObject("argoproj.io/v1alpha1", "Application", "argocd", "demo-chart")
                .hasPvcBound("demo", "web-data")
                .hasDeploymentAvailable("demo", "web");
        // What the API server stores holds the render (defaults added, quantities normalised), and a changed object
        // is named with the field that differs.
        BundleOutput output = BundleOutput.of(Path.of("src/test/resources/sample-bundle"));
        assertThatCluster(cluster).holdsRendered(output.objects("k3d"));
        var service = output.objects("k3d").stream().filter(o -> "Service".equals(o.kind())).findFirst().orElseThrow();
        cluster.client().services().inNamespace(service.namespace()).withName(service.name())
                .edit(s -> { s.getMetadata().getLabels().put("app", "changed"); return s; });
        assertThatThrownBy(() -> assertThatCluster(cluster).within(java.time.Duration.ofSeconds(2))
                .holdsRendered(List.of(service)))
                .hasMessageContaining("metadata.labels.app: rendered web, live changed");
        // applying again is a no-op for server-side apply (and restores the changed label)
        assertThat(cluster.apply(BundleOutput.of(Path.of("src/test/resources/sample-bundle")), "k3d")).hasSameSizeAs(applied);
    }
}
