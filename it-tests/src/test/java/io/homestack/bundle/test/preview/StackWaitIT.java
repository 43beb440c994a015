package io.homestack.bundle.test.preview;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.test.ArgoCdApplications;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * make stack-up's wait with the real Argo CD (envtest): an Application that cannot sync (its OCI registry refuses the
 * connection) makes the wait fail, with progress lines (elapsed, Application, wave, sync/health) and the
 * Application's conditions exactly as Argo CD wrote them. In it-tests (same package as StackWait), not in the kit's
 * module: the kit configures Argo CD from platform/argocd's render, which the reactor builds after the kit.
 */
@HomestackCluster(topology = "k3d")
@RequiresCapability(Capability.ARGOCD)
class StackWaitIT {

    private static final String APP = "stackwait-unreachable";
    private TestCluster cluster;

    @Test
    void anApplicationThatCannotSyncFailsTheWaitInArgoCdsWords(TestCluster cluster) {
        this.cluster = cluster;
        cluster.apply("stack-wait-it", Yaml.readAll("""
                apiVersion: argoproj.io/v1alpha1
                kind: AppProject
                metadata: {name: stackwait, namespace: argocd}
                spec:
                  sourceRepos: ["*"]
                  destinations: [{server: "*", namespace: "*"}]
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: %s
                  namespace: argocd
                  annotations: {argocd.argoproj.io/sync-wave: "3"}
                spec:
                  project: stackwait
                  source: {repoURL: "oci://127.0.0.1:1/homestack/nothing", targetRevision: "1.0.0", path: "."}
                  destination: {server: https://kubernetes.default.svc, namespace: default}
                """.formatted(APP), "StackWaitIT").stream().map(b -> new KubeObject(b, "StackWaitIT")).toList());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        boolean healthy = new StackWait(cluster, new PrintStream(buffer, true, StandardCharsets.UTF_8))
                .await(Duration.ofSeconds(20), Duration.ofSeconds(120));

        String out = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(healthy).isFalse();
        assertThat(out).containsPattern("\\[stack-up\\] +\\+[0-9.]+ s  " + APP + " \\(wave 3\\): sync \\S+, health \\S+");
        assertThat(out).contains("NOT Synced and Healthy").contains(APP + " (wave 3): sync ");
        ArgoCdApplications.State state = ArgoCdApplications.on(cluster).states().get(APP);
        assertThat(state.conditions()).as("Argo CD's conditions for " + APP).isNotEmpty();
        state.conditions().forEach(c -> assertThat(out).contains("condition " + c));
    }

    @AfterEach
    void removeTheApplication() {
        if (cluster != null) {
            cluster.client().genericKubernetesResources("argoproj.io/v1alpha1", "Application").inNamespace("argocd")
                    .withName(APP).withGracePeriod(0).delete();
        }
    }
}
