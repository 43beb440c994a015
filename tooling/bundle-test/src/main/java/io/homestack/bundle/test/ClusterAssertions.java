package io.homestack.bundle.test;

/**
 * Entry point of the cluster assertions:
 * <pre>
 * import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
 *
 * assertThatCluster(cluster).hasDeploymentAvailable("media", "jellyfin").hasPvcBound("media", "jellyfin-config");
 * </pre>
 */
public final class ClusterAssertions {

    private ClusterAssertions() {
    }

    public static ClusterAssert assertThatCluster(TestCluster cluster) {
        return new ClusterAssert(cluster);
    }
}
