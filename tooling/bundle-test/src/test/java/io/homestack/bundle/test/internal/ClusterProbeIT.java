package io.homestack.bundle.test.internal;

import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe that decides what a kubeconfig cluster can do, pointed at envtest: it must find the controllers, nodes
 * and the provisioner, and must not mistake kwok's nodes for kubelets or the native sealed-secrets process for a
 * deployed controller.
 */
@HomestackCluster(topology = "k3d")
class ClusterProbeIT {

    @Test
    void findsWhatEnvtestRunsAndNothingMore(TestCluster cluster) {
        Assumptions.assumeTrue(cluster.kind() == ClusterKind.ENVTEST && cluster.has(Capability.SCHEDULING),
                "probes the full envtest cluster");
        Map<Capability, String> missing = ClusterProbe.missing(cluster.client(), TestBinaries.repoRoot());
        assertThat(missing.keySet()).containsExactlyInAnyOrder(Capability.RUNNING_PODS, Capability.SEALED_SECRETS,
                Capability.ARGOCD, Capability.CERT_MANAGER);
        assertThat(missing.get(Capability.CERT_MANAGER)).contains("no available cert-manager webhook Deployment");
        assertThat(missing.get(Capability.RUNNING_PODS)).contains("no Ready node with a kubelet");
        assertThat(missing.get(Capability.SEALED_SECRETS))
                .contains("no available sealed-secrets controller Deployment (label app.kubernetes.io/name=sealed-secrets)");
    }
}
