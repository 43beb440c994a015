package io.homestack.bundle.test.preview;

import io.homestack.bundle.mirror.MirrorReport;
import io.homestack.bundle.test.ArgoCdApplications.State;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The preview's one-line verdict says what does not sync and why, in Argo CD's words; it never hides a block. */
class PreviewReportTest {

    static State state(String name, int wave, String sync, String health, String phase, String message) {
        return new State(name, wave, sync, health, phase, null, null, message, List.of());
    }

    static Map<String, State> byName(State... states) {
        Map<String, State> map = new TreeMap<>();
        for (State s : states) {
            map.put(s.name(), s);
        }
        return map;
    }

    @Test
    void aBlockedWaveIsNamedWithWhatHoldsItAndTheRootsMessage() {
        State root = state("release-k3d", 0, "OutOfSync", "Progressing", "Running",
                "waiting for healthy state of argoproj.io/Application/cert-manager");
        State certManager = state("cert-manager", 0, "OutOfSync", "Healthy", "Running", "one or more objects failed to apply");
        State storage = state("storage", 0, "Synced", "Healthy", "Succeeded", null);
        Map<String, State> states = byName(root, certManager, storage);

        String verdict = PreviewReport.verdict(states, List.of(certManager, root), Map.of("ingress", 1, "media", 2), "release-k3d");

        assertThat(verdict).isEqualTo("RESULT: the release does NOT fully sync here: wave 0 is blocked (cert-manager),"
                + " so 2 bundle(s) of later waves are never created; the root release-k3d says: waiting for healthy state"
                + " of argoproj.io/Application/cert-manager");
    }

    @Test
    void aReleaseSyncsOnlyWhenEveryApplicationIsReadyAndEveryBundleCreated() {
        State root = state("release-k3d", 0, "Synced", "Healthy", "Succeeded", "successfully synced");
        State storage = state("storage", 0, "Synced", "Healthy", "Succeeded", null);

        assertThat(PreviewReport.verdict(byName(root, storage), List.of(), Map.of(), "release-k3d"))
                .isEqualTo("RESULT: the release synced: all 2 Applications Synced and Healthy");
        assertThat(PreviewReport.verdict(byName(root, storage), List.of(), Map.of("media", 2), "release-k3d"))
                .startsWith("RESULT: the release does NOT fully sync here");
    }

    @Test
    void theApplicationsTheMirrorLeftOutAreListedAsNotDeployed() {
        MirrorReport mirror = new MirrorReport(null, List.of(), List.of(), List.of(), List.of(), List.of(), "omit",
                List.of(new MirrorReport.Omitted("istio", "istio-base", "base",
                        "chart base 1.32.0 from https://blob.istio.io/istio-release/charts")), null, List.of());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        PreviewReport report = new PreviewReport(new java.io.PrintStream(bytes, true));

        report.mirror(mirror);

        assertThat(bytes.toString()).contains("[preview] Applications NOT deployed (1)",
                "  istio-base (bundle istio): chart base 1.32.0 from https://blob.istio.io/istio-release/charts");
    }
}
