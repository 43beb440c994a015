package io.homestack.bundle.test.preview;

import io.homestack.bundle.mirror.MirrorReport;
import io.homestack.bundle.test.ArgoCdApplications;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What Argo CD did with the release, as the preview prints it: the Applications left out (their chart or source
 * cannot be had here), the timeline, every
 * Application's sync and health (Argo CD's condition and operation messages verbatim for those not Synced and
 * Healthy), the bundles of the release never created (their wave waits for an earlier one), and a one-line verdict.
 */
final class PreviewReport {

    private final PrintStream out;
    private List<String> omitted = List.of();

    PreviewReport(PrintStream out) {
        this.out = out;
    }

    void mirror(MirrorReport mirror) {
        out.println("[preview] charts mirrored (" + mirror.charts().size() + "): " + mirror.charts().stream()
                .map(c -> c.bundle() + "/" + c.chart() + " " + c.version()).collect(Collectors.joining(", ")));
        mirror.sources().forEach(src -> out.println("[preview] Git source mirrored: " + src.repository() + " "
                + src.revision() + " (Application " + src.application() + ")"));
        omitted = mirror.omitted().stream().map(MirrorReport.Omitted::application).sorted().toList();
        if (!mirror.omitted().isEmpty()) {
            out.println("[preview] Applications NOT deployed (" + mirror.omitted().size() + "): their source cannot be"
                    + " had here, so the mirror left them out of the relocated release (policy omit):");
            mirror.omitted().forEach(o -> out.println("  " + o.application() + " (bundle " + o.bundle() + "): "
                    + o.source()));
        }
    }

    /** @param waves the release's bundles and their waves (release.json) */
    void result(ArgoCdApplications apps, Map<String, Integer> waves, String root) {
        Map<String, ArgoCdApplications.State> states = apps.states();
        out.println("[preview] timeline (seconds after the root Application was applied):");
        out.print(apps.timeline(apps.recorded()));
        List<ArgoCdApplications.State> ready = states.values().stream().filter(ArgoCdApplications.State::ready).toList();
        List<ArgoCdApplications.State> notReady = states.values().stream().filter(s -> !s.ready()).toList();
        out.println("[preview] Synced and Healthy (" + ready.size() + "): "
                + ready.stream().map(ArgoCdApplications.State::name).collect(Collectors.joining(", ")));
        if (!notReady.isEmpty()) {
            out.println("[preview] NOT Synced and Healthy (" + notReady.size() + "), in Argo CD's words:");
            notReady.forEach(s -> out.println("  " + s));
        }
        Map<String, Integer> notCreated = new TreeMap<>(waves);
        notCreated.keySet().removeAll(states.keySet());
        if (!notCreated.isEmpty()) {
            out.println("[preview] bundles NOT created (" + notCreated.size() + "): " + notCreated.entrySet().stream()
                    .map(e -> e.getKey() + " (wave " + e.getValue() + ")").collect(Collectors.joining(", ")));
        }
        out.println("[preview] " + verdict(states, notReady, notCreated, root)
                + (omitted.isEmpty() ? "" : "; NOT deployed here: " + String.join(", ", omitted)));
    }

    static String verdict(Map<String, ArgoCdApplications.State> states, List<ArgoCdApplications.State> notReady,
                          Map<String, Integer> notCreated, String root) {
        if (notReady.isEmpty() && notCreated.isEmpty()) {
            return "RESULT: the release synced: all " + states.size() + " Applications Synced and Healthy";
        }
        int blocked = notReady.stream().filter(s -> !s.name().equals(root)).mapToInt(ArgoCdApplications.State::wave)
                .min().orElse(0);
        ArgoCdApplications.State rootState = states.get(root);
        return "RESULT: the release does NOT fully sync here: wave " + blocked + " is blocked ("
                + notReady.stream().filter(s -> s.wave() == blocked && !s.name().equals(root))
                .map(ArgoCdApplications.State::name).collect(Collectors.joining(", ")) + ")"
                + (notCreated.isEmpty() ? "" : ", so " + notCreated.size() + " bundle(s) of later waves are never"
                + " created")
                + (rootState == null || rootState.operationMessage() == null ? ""
                : "; the root " + root + " says: " + rootState.operationMessage());
    }
}
