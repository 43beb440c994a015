package io.homestack.eventbridge;

import io.homestack.bundle.test.prometheus.MetricsText;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Scrapes /metrics until a sample has a value, for what arrives over MQTT at its own pace. A scrape is not one
 * snapshot: the registry collects family after family while messages are still being handled, so the scrape that first
 * shows the sample may show an earlier family from before the messages that preceded it (seen in CI on a fast
 * machine: a later message's gauge set, an earlier message's count missing). What {@link #await} returns is therefore
 * the next scrape, begun after that one: it sees everything handled before the sample, the bridge handling messages
 * in the order they arrive.
 */
final class Scrapes {

    static final Duration WAIT = Duration.ofSeconds(30);

    private Scrapes() {
    }

    static MetricsText await(URI metrics, String sample, double value, Supplier<String> context) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        MetricsText last = null;
        do {
            try {
                last = MetricsText.scrape(metrics);
            } catch (java.io.IOException e) {
                last = null; // not listening yet
            }
            if (last != null && Objects.equals(last.value(sample), value)) {
                return MetricsText.scrape(metrics);
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(sample + " is " + (last == null ? "(no scrape)" : last.value(sample)) + ", not " + value + " after " + WAIT + "\n"
                + context.get());
    }
}
