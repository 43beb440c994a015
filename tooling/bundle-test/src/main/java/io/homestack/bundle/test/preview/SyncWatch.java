package io.homestack.bundle.test.preview;

import io.homestack.bundle.test.ArgoCdApplications;
import io.homestack.bundle.test.internal.Await;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Follows Argo CD's Applications after the root was applied, printing each change of an Application's sync, health or
 * operation phase. A release that cannot fully sync never finishes, so the watch ends when every Application is
 * Synced and Healthy or when nothing has changed for a quiet period (bounded by a timeout); the Applications keep
 * syncing afterwards, as on a cluster.
 */
final class SyncWatch {

    private final ArgoCdApplications apps;
    private final PrintStream out;
    private final String prefix;

    SyncWatch(ArgoCdApplications apps, PrintStream out) {
        this(apps, out, "[preview]");
    }

    /** @param prefix starts every progress line: [preview], [stack-up] */
    SyncWatch(ArgoCdApplications apps, PrintStream out, String prefix) {
        this.apps = apps;
        this.out = out;
        this.prefix = prefix;
    }

    /** @return true when every Application is Synced and Healthy with no sync running */
    boolean awaitSettled(Duration quiet, Duration timeout) {
        Map<String, String> last = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastChange = System.nanoTime();
        while (true) {
            Map<String, ArgoCdApplications.State> states = apps.poll();
            for (ArgoCdApplications.State s : states.values()) {
                String now = "sync " + s.sync() + ", health " + s.health() + (s.phase() == null ? "" : ", " + s.phase());
                if (!now.equals(last.put(s.name(), now))) {
                    lastChange = System.nanoTime();
                    out.printf("%s %7s  %s (wave %d): %s%n", prefix, seconds(), s.name(), s.wave(), now);
                }
            }
            if (!states.isEmpty() && states.values().stream().allMatch(ArgoCdApplications.State::ready)) {
                return true;
            }
            if (System.nanoTime() - lastChange > quiet.toNanos() || System.nanoTime() > deadline) {
                return false;
            }
            Await.sleep(1000);
        }
    }

    private String seconds() {
        return String.format("%+.1f s", Duration.between(apps.since(), Instant.now()).toMillis() / 1000.0);
    }
}
