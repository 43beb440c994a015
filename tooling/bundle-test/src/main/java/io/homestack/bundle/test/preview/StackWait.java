package io.homestack.bundle.test.preview;

import io.fabric8.kubernetes.api.model.Event;
import io.homestack.bundle.test.ArgoCdApplications;
import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.Topology;
import io.homestack.bundle.test.internal.ClusterPlan;
import io.homestack.bundle.test.internal.Clusters;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code make stack-up}'s wait, on the cluster of {@code KUBECONFIG} after the root Application was applied: the
 * preview's progress lines (Application, wave, sync/health, elapsed) until every Application is Synced and Healthy;
 * else, for each that is not, Argo CD's conditions and operation message verbatim, its unhealthy resources and their
 * last events. Exit 0 when all are Synced and Healthy, 1 otherwise.
 * <p>Arguments: the timeout in seconds (default 1200) and the quiet period in seconds after which an unchanged state
 * counts as stuck (default 600).
 */
public final class StackWait {

    static final String PREFIX = "[stack-up]";
    private static final int EVENTS = 5;

    private final ArgoCdApplications apps;
    private final TestCluster cluster;
    private final PrintStream out;

    StackWait(TestCluster cluster, PrintStream out) {
        this.cluster = cluster;
        this.apps = ArgoCdApplications.on(cluster);
        this.out = out;
    }

    public static void main(String[] args) {
        Duration timeout = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 1200);
        Duration quiet = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 600);
        TestCluster cluster = Clusters.acquire(ClusterPlan.of(ClusterKind.KUBECONFIG, Topology.K3D, false, true, false));
        boolean ok = new StackWait(cluster, System.out).await(quiet, timeout);
        Clusters.stopAll();
        System.exit(ok ? 0 : 1);
    }

    /** @return true when every Application is Synced and Healthy */
    boolean await(Duration quiet, Duration timeout) {
        out.println(PREFIX + " waiting for Argo CD's Applications (up to " + timeout.toSeconds() + " s) on "
                + cluster.description());
        if (new SyncWatch(apps, out, PREFIX).awaitSettled(quiet, timeout)) {
            out.print(apps.summary(apps.recorded()));
            return true;
        }
        Map<String, ArgoCdApplications.State> states = apps.states();
        List<ArgoCdApplications.State> failing = states.values().stream().filter(s -> !s.ready())
                .sorted(Comparator.comparingInt(ArgoCdApplications.State::wave)).toList();
        out.println(PREFIX + " NOT Synced and Healthy (" + failing.size() + " of " + states.size() + "), in Argo CD's words:");
        failing.forEach(this::explain);
        return false;
    }

    private void explain(ArgoCdApplications.State state) {
        out.println("  " + state.toString().replace("\n", "\n  "));
        for (ArgoCdApplications.Resource r : apps.unhealthyResources(state.name())) {
            out.println("    " + r.kind() + " " + (r.namespace() == null ? "" : r.namespace() + "/") + r.name() + ": "
                    + r.health() + (r.message() == null ? "" : " (" + r.message() + ")"));
            lastEvents(r).forEach(e -> out.println("      event " + e.getType() + " " + e.getReason() + ": " + e.getMessage()));
        }
    }

    private List<Event> lastEvents(ArgoCdApplications.Resource r) {
        var events = r.namespace() == null ? cluster.client().v1().events().inAnyNamespace()
                : cluster.client().v1().events().inNamespace(r.namespace());
        List<Event> all = events.withField("involvedObject.name", r.name()).list().getItems().stream()
                .filter(e -> r.kind().equals(e.getInvolvedObject().getKind()))
                .sorted(Comparator.comparing(StackWait::time)).toList();
        return all.subList(Math.max(0, all.size() - EVENTS), all.size());
    }

    private static String time(Event e) {
        String t = e.getLastTimestamp() != null ? e.getLastTimestamp()
                : e.getEventTime() != null ? e.getEventTime().getTime() : e.getMetadata().getCreationTimestamp();
        return t == null ? "" : t;
    }
}
