package io.homestack.platform.argocd;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The argocd bundle against a real API server with the Argo CD CRDs of CRD_ARGO_CD_VERSION (envtest here): strict
 * server-side apply proves the AppProjects and the install Application (its kustomize patches included) are in the
 * schema of the Argo CD release they install. Syncing them needs Argo CD running (the kit's ARGOCD capability, E2E).
 */
@HomestackCluster
class ArgoCdIT {

    private static final String ARGO = "argoproj.io/v1alpha1";

    private TestCluster cluster;

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theApiServerAcceptsEveryObject(String env) {
        List<HasMetadata> applied = cluster.apply(BundleOutput.ofModule(), env);

        assertThat(applied).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("Namespace", "ConfigMap",
                "ConfigMap", "ConfigMap", "AppProject", "AppProject", "AppProject", "Application");
        assertThatCluster(cluster)
                .hasObject("v1", "ConfigMap", "argocd", "argocd-cm")
                .hasObject(ARGO, "AppProject", "argocd", "platform")
                .hasObject(ARGO, "AppProject", "argocd", "observability")
                .hasObject(ARGO, "AppProject", "argocd", "workloads")
                .hasObject(ARGO, "Application", "argocd", "argocd-install");
    }
}
