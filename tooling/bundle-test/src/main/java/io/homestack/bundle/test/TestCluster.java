package io.homestack.bundle.test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homestack.bundle.k8s.KubeObject;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Kubernetes cluster for a test: envtest (local kube-apiserver + etcd, optionally the scheduler, the controller
 * manager and kwok nodes), a k3s container, or an existing cluster. Injected by {@link HomestackCluster}; one per JVM
 * (per topology on envtest), started on first use and stopped when the JVM ends.
 */
public interface TestCluster {

    ClusterKind kind();

    /** "envtest (topology k3d, https://127.0.0.1:40123)": for messages. */
    String description();

    /** A client with cluster-admin rights. */
    KubernetesClient client();

    Set<Capability> capabilities();

    default boolean has(Capability capability) {
        return capabilities().contains(capability);
    }

    /**
     * Skips the calling test (a JUnit assumption, reason printed) unless the cluster has the capability. The cluster
     * assertions call this themselves; tests rarely need to.
     */
    void require(Capability capability);

    /** The nodes this cluster simulates (envtest); empty where the nodes are real (k3s, kubeconfig). */
    Optional<Topology> topology();

    /** A kubeconfig file for this cluster, for tools (kubectl, helm). */
    Path kubeconfig();

    /** The API server's {@code /version} gitVersion, e.g. v1.35.4. */
    String version();

    /** Where the cluster's process logs are (envtest). */
    Optional<Path> logDir();

    /**
     * Server-side applies one environment of a rendered bundle ({@code target/bundle/<environment>}) with strict field
     * validation: Namespaces and CRDs first (waiting until the CRDs are Established), then everything else. Fails
     * naming the bundle, file and object: for an unknown kind ({@code no CRD for VirtualService
     * (networking.istio.io/v1) in bundle media}) or an object the API server rejects.
     */
    List<HasMetadata> apply(BundleOutput output, String environment);

    /** The same for objects given directly; {@code bundle} names them in messages. */
    List<HasMetadata> apply(String bundle, List<KubeObject> objects);

    /**
     * Creates a namespace with a unique name starting with the prefix and waits until pods can be created in it
     * (its default service account exists where controllers run). Tests use one each so they never collide.
     */
    String createNamespace(String prefix);
}
