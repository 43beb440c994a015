package io.homestack.bundle.test;

import io.homestack.bundle.test.internal.HomestackClusterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the test class a {@link TestCluster}, as a parameter (of a test, lifecycle method or constructor) or in
 * fields of that type. The kind of cluster is chosen at run time: {@code -Dhomestack.cluster=envtest|k3s|kubeconfig}
 * (or {@code HOMESTACK_CLUSTER}); by default k3s where a Docker engine runs, else envtest.
 * <pre>
 * &#64;HomestackCluster(topology = "k3s")
 * class PlacementIT {
 *     &#64;Test
 *     void gpuPodLandsOnTheGpuNode(TestCluster cluster) { ... }
 * }
 * </pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(HomestackClusterExtension.class)
public @interface HomestackCluster {

    /**
     * The nodes envtest simulates: {@code k3d} (1 server + 2 agents), {@code k3s} (clusters/k3s/inventory.yaml) or an
     * inventory file relative to the repository root. Empty: {@code -Dhomestack.topology}, else k3d. Real clusters
     * (k3s, kubeconfig) have the nodes they have.
     */
    String topology() default "";
}
