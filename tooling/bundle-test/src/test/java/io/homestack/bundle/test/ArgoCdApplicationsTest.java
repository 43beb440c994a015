package io.homestack.bundle.test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.homestack.bundle.k8s.Yaml;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** How an Application's status is read and reported: Argo CD's messages verbatim, the wave, the sync times. */
class ArgoCdApplicationsTest {

    static GenericKubernetesResource app(String yaml) {
        return Yaml.mapper().convertValue(Yaml.readMap(yaml, "test"), GenericKubernetesResource.class);
    }

    @Test
    void aComparisonErrorIsReportedVerbatimWithTheApplicationAndItsWave() {
        ArgoCdApplications.State state = ArgoCdApplications.state(app("""
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata: {name: media, namespace: argocd, annotations: {argocd.argoproj.io/sync-wave: "2"}}
                status:
                  sync: {status: Unknown}
                  health: {status: Healthy}
                  conditions:
                    - type: ComparisonError
                      message: 'Failed to load target state: x: not found'
                """));
        assertThat(state.ready()).isFalse();
        assertThat(state.wave()).isEqualTo(2);
        assertThat(state.toString()).isEqualTo("media (wave 2): sync Unknown, health Healthy\n"
                + "      condition ComparisonError: Failed to load target state: x: not found");
    }

    @Test
    void readyMeansSyncedHealthyAndNoSyncRunning() {
        String synced = """
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata: {name: storage, namespace: argocd}
                status:
                  sync: {status: Synced}
                  health: {status: Healthy}
                  operationState: {phase: %s, startedAt: "2026-11-30T17:00:00Z", finishedAt: "2026-11-30T17:00:02Z",
                                   message: done}
                """;
        ArgoCdApplications.State done = ArgoCdApplications.state(app(synced.formatted("Succeeded")));
        assertThat(done.ready()).isTrue();
        assertThat(done.wave()).isZero();
        assertThat(done.started()).isEqualTo(Instant.parse("2026-11-30T17:00:00Z"));
        assertThat(done.finished()).isEqualTo(Instant.parse("2026-11-30T17:00:02Z"));
        assertThat(ArgoCdApplications.state(app(synced.formatted("Running"))).ready()).isFalse();
    }
}
