package io.homestack.bundle.test;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * kwok reports a pod Running even when a Secret it needs is missing; the kit's "Running" assertions do what a kubelet
 * does and fail it (CreateContainerConfigError, FailedMount), naming pod and object. Optional references may be missing.
 */
@HomestackCluster(topology = "k3d")
@RequiresCapability({Capability.CONTROLLERS, Capability.SCHEDULING})
class PodReferencesIT {

    @Test
    void aDeploymentWhosePodsNeedAMissingSecretIsNotAvailable(TestCluster cluster) {
        String ns = cluster.createNamespace("refs");
        deployment(cluster, ns, new PodSpecBuilder().addNewContainer().withName("app").withImage("example.invalid/app:1.0")
                .addNewEnv().withName("API_KEY").withNewValueFrom().withNewSecretKeyRef().withName("app-api").withKey("key")
                .endSecretKeyRef().endValueFrom().endEnv()
                .addNewEnvFrom().withNewConfigMapRef().withName("app-settings").endConfigMapRef().endEnvFrom()
                .addNewEnvFrom().withNewSecretRef().withName("app-extra").withOptional(true).endSecretRef().endEnvFrom()
                .endContainer()
                .addNewVolume().withName("tls").withNewSecret().withSecretName("app-tls").endSecret().endVolume().build());

        assertThatThrownBy(() -> assertThatCluster(cluster).within(Duration.ofSeconds(10)).hasDeploymentAvailable(ns, "app"))
                .hasMessageContaining("Deployment " + ns + "/app to be available")
                .hasMessageContaining("a kubelet would not start its pods")
                .hasMessageMatching("(?s).*pod " + ns + "/app-[a-z0-9-]+: CreateContainerConfigError: secret \"app-api\" not found"
                        + " \\(container app, env API_KEY\\).*")
                .hasMessageContaining("CreateContainerConfigError: configmap \"app-settings\" not found (container app, envFrom)")
                .hasMessageContaining("FailedMount: MountVolume.SetUp failed for volume \"tls\": secret \"app-tls\" not found")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("app-extra"));

        cluster.client().secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("app-api")
                .endMetadata().addToStringData("other", "x").build()).create();
        cluster.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("app-settings")
                .endMetadata().build()).create();
        cluster.client().secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("app-tls")
                .endMetadata().build()).create();
        assertThatThrownBy(() -> assertThatCluster(cluster).within(Duration.ofSeconds(5)).hasDeploymentAvailable(ns, "app"))
                .hasMessageContaining("couldn't find key key in Secret " + ns + "/app-api (container app, env API_KEY)");

        cluster.client().secrets().inNamespace(ns).withName("app-api").edit(s -> new SecretBuilder(s).addToStringData("key", "v")
                .build());
        assertThatCluster(cluster).hasDeploymentAvailable(ns, "app");
    }

    @Test
    void aPodWithAMissingClaimOrServiceAccountIsNeverRunning(TestCluster cluster) {
        String ns = cluster.createNamespace("refs-claim");
        deployment(cluster, ns, new PodSpecBuilder().addNewContainer().withName("app").withImage("example.invalid/app:1.0")
                .endContainer().addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("app-data")
                .endPersistentVolumeClaim().endVolume().build());
        // the real scheduler already refuses it: the assertion shows the scheduler's reason
        assertThatThrownBy(() -> assertThatCluster(cluster).within(Duration.ofSeconds(10)).hasDeploymentAvailable(ns, "app"))
                .hasMessageContaining("persistentvolumeclaim \"app-data\" not found");
    }

    private static void deployment(TestCluster cluster, String ns, io.fabric8.kubernetes.api.model.PodSpec spec) {
        cluster.client().apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
                .withNewMetadata().withName("app").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "app").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "app").endMetadata().withSpec(spec).endTemplate()
                .endSpec().build()).create();
    }
}
