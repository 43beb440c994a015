package io.homestack.bundle.test.envtest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How long each step of a start took, for the start line and docs/performance.md. */
final class Timings {

    private final Map<String, Long> steps = new LinkedHashMap<>();
    private long total;

    /** Runs the step and records its time under the name. */
    void time(String step, Runnable action) {
        long t = System.nanoTime();
        action.run();
        steps.merge(step, System.nanoTime() - t, Long::sum);
    }

    void total(long nanos) {
        total = nanos;
    }

    Duration total() {
        return Duration.ofNanos(total);
    }

    /** "7.9 s (certificates 0.4 s, etcd + apiserver 5.1 s, ...)". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(seconds(total));
        String sep = " (";
        for (Map.Entry<String, Long> e : steps.entrySet()) {
            sb.append(sep).append(e.getKey()).append(' ').append(seconds(e.getValue()));
            sep = ", ";
        }
        return steps.isEmpty() ? sb.toString() : sb.append(')').toString();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
