package io.homestack.apps.security;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.BundleRenders;
import io.homestack.bundle.test.TestCluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/** What SecurityK3dIT and SecurityK3sIT check on their topology: the bundle applies, binds its claims and Frigate runs. */
final class FrigatePlacement {

    static final String NAMESPACE = SecurityBundleTest.NAMESPACE;
    static final String GPU_LABEL = "hardware/nvidia";

    private FrigatePlacement() {
    }

    /** Storage, then (k3s) the nvidia RuntimeClass, then the bundle as built; Frigate's pod once it runs. */
    static Pod applyAndAwaitFrigate(TestCluster cluster, String env) {
        Path repo = BundleRenders.ofModule().bundleDir().resolve("../..").normalize();
        cluster.apply(BundleOutput.of(repo.resolve("platform/storage/target/bundle")), env);
        if (env.equals("k3s")) {
            // platform/nvidia-device-plugin's class (k3s only, so no Maven dependency: pom.xml), from its source.
            cluster.apply("nvidia-device-plugin", read(repo.resolve(
                    "platform/nvidia-device-plugin/manifests/k3s/runtimeclass-nvidia.yaml")));
        }
        cluster.apply(BundleOutput.ofModule(), env);

        // The Deployment first: its failure says why the pod does not schedule (the claims wait for that pod).
        assertThatCluster(cluster).hasDeploymentAvailable(NAMESPACE, "frigate")
                .hasPvcBound(NAMESPACE, "frigate-config").hasPvcBound(NAMESPACE, "frigate-media");
        List<Pod> pods = cluster.client().pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", "frigate")
                .list().getItems();
        assertThat(pods).as("Frigate's pods").hasSize(1);
        Pod pod = pods.get(0);
        assertThatCluster(cluster).hasPodRunningOn(NAMESPACE, pod.getMetadata().getName(), pod.getSpec().getNodeName());
        return pod;
    }

    static Node node(TestCluster cluster, Pod pod) {
        return cluster.client().nodes().withName(pod.getSpec().getNodeName()).get();
    }

    private static List<KubeObject> read(Path file) {
        try {
            return Yaml.readAll(Files.readString(file), file.toString()).stream()
                    .map(body -> new KubeObject(body, file.toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
