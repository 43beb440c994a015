package io.homestack.bundle.test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Controllers, scheduler and kwok nodes (k3d topology): workloads become ready, pods run where they must. */
@HomestackCluster(topology = "k3d")
@RequiresCapability({Capability.CONTROLLERS, Capability.SCHEDULING})
class SchedulingIT {

    @Test
    void theK3dTopologyHasOneServerAndTwoAgents(TestCluster cluster) {
        assertThat(cluster.client().nodes().list().getItems())
                .extracting(n -> n.getMetadata().getName())
                .containsExactlyInAnyOrder("k3d-homestack-server-0", "k3d-homestack-agent-0", "k3d-homestack-agent-1");
        assertThat(cluster.client().nodes().withName("k3d-homestack-server-0").get().getMetadata().getLabels())
                .containsEntry("node-role.kubernetes.io/control-plane", "true")
                .containsEntry("node.kubernetes.io/instance-type", "k3s")
                .containsEntry("kubernetes.io/hostname", "k3d-homestack-server-0");
        assertThat(cluster.client().nodes().withName("k3d-homestack-agent-0").get().getStatus().getAllocatable())
                .containsEntry("cpu", new Quantity("8")).containsEntry("memory", new Quantity("16Gi"));
    }

    @Test
    void aDeploymentBecomesAvailableOnFakeNodes(TestCluster cluster) {
        String ns = cluster.createNamespace("deploy");
        cluster.client().apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("example.invalid/web:1.0").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();

        assertThatCluster(cluster).hasDeploymentAvailable(ns, "web");
        assertThat(cluster.client().pods().inNamespace(ns).withLabel("app", "web").list().getItems())
                .hasSize(3).allSatisfy(p -> {
                    assertThat(p.getStatus().getPhase()).isEqualTo("Running");
                    assertThat(p.getStatus().getPodIP()).startsWith("10.244.");
                });
    }

    @Test
    void aPodPinnedToANodeRunsThere(TestCluster cluster) {
        String ns = cluster.createNamespace("pinned");
        cluster.client().pods().inNamespace(ns).resource(pod("pinned", Map.of("kubernetes.io/hostname", "k3d-homestack-agent-1")))
                .create();
        assertThatCluster(cluster).hasPodRunningOn(ns, "pinned", "k3d-homestack-agent-1");
    }

    @Test
    void aPodThatFitsNowhereFailsWithTheSchedulersReason(TestCluster cluster) {
        String ns = cluster.createNamespace("nowhere");
        cluster.client().pods().inNamespace(ns).resource(pod("lost", Map.of("hardware/nvidia", "true"))).create();

        String reason = assertThatCluster(cluster).hasPodUnschedulable(ns, "lost");
        assertThat(reason).contains("0/3 nodes are available").contains("didn't match Pod's node affinity/selector");
        assertThatThrownBy(() -> assertThatCluster(cluster).within(Duration.ofSeconds(2))
                .hasPodRunningOn(ns, "lost", "k3d-homestack-agent-0"))
                .hasMessageContaining("pod " + ns + "/lost to run on node k3d-homestack-agent-0")
                .hasMessageContaining("not scheduled")
                .hasMessageContaining("didn't match Pod's node affinity/selector");
    }

    @Test
    @RequiresCapability(Capability.VOLUMES)
    void aStatefulSetWithClaimTemplatesOfTheDefaultClassBecomesReady(TestCluster cluster) {
        String ns = cluster.createNamespace("volumes");
        // no storageClassName: the cluster's default (k3s: local-path, WaitForFirstConsumer) provisions once scheduled
        cluster.client().apps().statefulSets().inNamespace(ns).resource(new StatefulSetBuilder()
                .withNewMetadata().withName("db").endMetadata()
                .withNewSpec().withReplicas(2).withServiceName("db")
                .withNewSelector().addToMatchLabels("app", "db").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "db").endMetadata()
                .withNewSpec().addNewContainer().withName("db").withImage("example.invalid/db:1.0")
                .addNewVolumeMount().withName("pgdata").withMountPath("/data").endVolumeMount().endContainer().endSpec()
                .endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("pgdata").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                .endVolumeClaimTemplate().endSpec().build()).create();
        assertThatCluster(cluster).hasStatefulSetReady(ns, "db").hasPvcBound(ns, "pgdata-db-0").hasPvcBound(ns, "pgdata-db-1");
        assertThat(cluster.client().persistentVolumeClaims().inNamespace(ns).withName("pgdata-db-0").get()
                .getSpec().getStorageClassName()).isEqualTo("local-path");
    }

    static Pod pod(String name, Map<String, String> nodeSelector) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeSelector(nodeSelector)
                .addNewContainer().withName("main").withImage("example.invalid/app:1.0").endContainer().endSpec().build();
    }
}
