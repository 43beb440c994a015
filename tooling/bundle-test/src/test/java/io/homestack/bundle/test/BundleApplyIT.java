package io.homestack.bundle.test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

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
        // applying again is a no-op for server-side apply
        assertThat(cluster.apply(BundleOutput.of(Path.of("src/test/resources/sample-bundle")), "k3d")).hasSameSizeAs(applied);
    }
}
