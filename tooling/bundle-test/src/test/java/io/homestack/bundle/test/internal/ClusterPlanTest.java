package io.homestack.bundle.test.internal;

import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.ClusterKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.homestack.bundle.test.Capability.API;
import static io.homestack.bundle.test.Capability.CONTROLLERS;
import static io.homestack.bundle.test.Capability.RUNNING_PODS;
import static io.homestack.bundle.test.Capability.SCHEDULING;
import static io.homestack.bundle.test.Capability.SEALED_SECRETS;
import static io.homestack.bundle.test.Capability.VOLUMES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterPlanTest {

    @AfterEach
    void reset() {
        Settings.reset();
        Clusters.forgetDefaultKind();
    }

    @Test
    void envtestLacksOnlyRunningContainersAndSaysWhereToGetThem() {
        ClusterPlan plan = ClusterPlan.of(ClusterKind.ENVTEST, "k3d", false);
        assertThat(plan.capabilities()).containsExactlyInAnyOrder(API, CONTROLLERS, SCHEDULING, VOLUMES, SEALED_SECRETS);
        assertThat(plan.skipReason(RUNNING_PODS)).hasValue(
                "needs running containers; envtest has none (run with -Dhomestack.cluster=k3s or kubeconfig)");
        assertThat(plan.skipReason(SCHEDULING)).isEmpty();
        assertThat(plan.skipReason(Capability.ARGOCD)).hasValue("needs a running Argo CD (application controller and repo"
                + " server); envtest starts Argo CD only for a test class that declares @RequiresCapability(ARGOCD)");
    }

    @Test
    void envtestRunsArgoCdOnlyWhenAskedAndThenIsAnotherCluster() {
        ClusterPlan plan = ClusterPlan.of(ClusterKind.ENVTEST, "k3d", false, true);
        assertThat(plan.capabilities()).containsExactlyInAnyOrder(API, CONTROLLERS, SCHEDULING, VOLUMES, SEALED_SECRETS,
                Capability.ARGOCD);
        assertThat(plan.argocd()).isTrue();
        assertThat(plan.key()).isEqualTo("envtest/k3d/argocd");
        assertThat(ClusterPlan.of(ClusterKind.ENVTEST, "k3d", true, true).skipReason(Capability.ARGOCD)).isPresent();
    }

    @Test
    void envtestSimulatesCertManagerOnlyWhenAskedAndThenIsAnotherCluster() {
        assertThat(ClusterPlan.of(ClusterKind.ENVTEST, "k3d", false).skipReason(Capability.CERT_MANAGER)).hasValue(
                "needs cert-manager (its webhook, Issuers and Certificates Ready); envtest starts its cert-manager"
                        + " simulation only for a test class that declares @RequiresCapability(CERT_MANAGER)");
        ClusterPlan plan = ClusterPlan.of(ClusterKind.ENVTEST, "k3d", false, true, true);
        assertThat(plan.capabilities()).contains(Capability.CERT_MANAGER, Capability.ARGOCD);
        assertThat(plan.certManager()).isTrue();
        assertThat(plan.key()).isEqualTo("envtest/k3d/argocd/cert-manager");
        assertThat(ClusterPlan.of(ClusterKind.ENVTEST, "k3d", true, false, true).certManager()).isFalse();
        assertThat(ClusterPlan.of(ClusterKind.K3S, "k3d", false, false, true, Map::of).skipReason(Capability.CERT_MANAGER))
                .hasValueSatisfying(r -> assertThat(r).contains("a bare k3s container runs no cert-manager"));
        assertThat(ClusterPlan.of(ClusterKind.KUBECONFIG, "k3d", false, false, true, Map::of).certManager())
                .as("never simulated where the real cert-manager may run").isFalse();
    }

    @Test
    void apiOnlyEnvtestLacksControllersSchedulingAndVolumes() {
        ClusterPlan plan = ClusterPlan.of(ClusterKind.ENVTEST, "k3d", true);
        assertThat(plan.capabilities()).containsExactly(API);
        assertThat(plan.skipReason(CONTROLLERS)).hasValueSatisfying(r -> assertThat(r)
                .startsWith("needs the built-in controllers (kube-controller-manager); envtest runs only kube-apiserver and etcd")
                .contains("-Dhomestack.envtest.components=api"));
        assertThat(plan.skipReason(SCHEDULING).orElseThrow()).startsWith("needs a scheduler and nodes;");
    }

    @Test
    void aBareK3sContainerHasWhatK3sShipsButNoSealedSecretsController() {
        ClusterPlan plan = ClusterPlan.of(ClusterKind.K3S, "k3d", false, () -> {
            throw new AssertionError("k3s is not probed: the container does not exist yet");
        });
        assertThat(plan.capabilities()).containsExactlyInAnyOrder(API, CONTROLLERS, SCHEDULING, VOLUMES, RUNNING_PODS);
        assertThat(plan.skipReason(Capability.ARGOCD)).isPresent();
        assertThat(plan.skipReason(SEALED_SECRETS)).hasValueSatisfying(r -> assertThat(r)
                .startsWith("needs a sealed-secrets controller; a bare k3s container runs no sealed-secrets controller"));
    }

    @Test
    void aKubeconfigClusterHasWhatTheProbeFound() {
        ClusterPlan plan = ClusterPlan.of(ClusterKind.KUBECONFIG, "k3d", false,
                () -> Map.of(SEALED_SECRETS, "needs a sealed-secrets controller; none found", RUNNING_PODS, "needs running containers; kwok"));
        assertThat(plan.capabilities()).containsExactlyInAnyOrder(API, CONTROLLERS, SCHEDULING, VOLUMES, Capability.ARGOCD,
                Capability.CERT_MANAGER);
        assertThat(plan.skipReason(SEALED_SECRETS)).hasValue("needs a sealed-secrets controller; none found");
        assertThat(ClusterPlan.of(ClusterKind.KUBECONFIG, "k3d", false, Map::of).capabilities())
                .containsExactlyInAnyOrder(Capability.values());
    }

    @Test
    void envtestClustersAreSharedPerTopologyRealOnesPerKind() {
        assertThat(ClusterPlan.of(ClusterKind.ENVTEST, "k3d", false).key()).isEqualTo("envtest/k3d");
        assertThat(ClusterPlan.of(ClusterKind.ENVTEST, "k3s", false).key()).isEqualTo("envtest/k3s");
        assertThat(ClusterPlan.of(ClusterKind.ENVTEST, "k3d", true).key()).isEqualTo("envtest/k3d/api");
        assertThat(ClusterPlan.of(ClusterKind.KUBECONFIG, "k3s", false, Map::of).key()).isEqualTo("kubeconfig");
    }

    @Test
    void theKindComesFromThePropertyThenTheEnvironmentThenDocker() {
        Settings.override(Map.of("homestack.cluster", "kubeconfig"), Map.of("HOMESTACK_CLUSTER", "k3s"));
        assertThat(Clusters.kind(() -> true)).isEqualTo(ClusterKind.KUBECONFIG);
        Settings.override(Map.of(), Map.of("HOMESTACK_CLUSTER", "K3S"));
        assertThat(Clusters.kind(() -> false)).isEqualTo(ClusterKind.K3S);
        Settings.override(Map.of(), Map.of());
        assertThat(Clusters.kind(() -> false)).isEqualTo(ClusterKind.ENVTEST);
        Clusters.forgetDefaultKind();
        assertThat(Clusters.kind(() -> true)).isEqualTo(ClusterKind.K3S);
        Settings.override(Map.of("homestack.cluster", "kind"), Map.of());
        assertThatThrownBy(() -> Clusters.kind(() -> true)).hasMessage("unknown cluster kind 'kind': use one of envtest|k3s|kubeconfig");
    }

    @Test
    void topologyAndComponentsComeFromTheAnnotationOrTheSettings() {
        Settings.override(Map.of("homestack.cluster", "envtest", "homestack.topology", "k3s"), Map.of());
        assertThat(Clusters.plan("").topology()).isEqualTo("k3s");
        assertThat(Clusters.plan("k3d").topology()).isEqualTo("k3d");
        assertThat(Clusters.plan("").apiOnly()).isFalse();
        Settings.override(Map.of("homestack.cluster", "envtest"), Map.of("HOMESTACK_ENVTEST_COMPONENTS", "api"));
        assertThat(Clusters.plan("").topology()).isEqualTo("k3d");
        assertThat(Clusters.plan("").apiOnly()).isTrue();
        Settings.override(Map.of("homestack.cluster", "envtest", "homestack.envtest.components", "some"), Map.of());
        assertThatThrownBy(() -> Clusters.plan("")).hasMessageContaining("must be all or api, got some");
    }
}
