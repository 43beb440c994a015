package io.homestack.bundle.test.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a deadline; the failure says what was awaited and what was seen last. */
public final class Await {

    private Await() {
    }

    /**
     * Polls until the condition holds.
     *
     * @param lastSeen what to add to the timeout message (evaluated once, at the end)
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<String> lastSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 50;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                String seen = lastSeen.get();
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (seen == null || seen.isEmpty() ? "" : ": " + seen));
            }
            sleep(pause);
            pause = Math.min(500, pause * 2);
        }
    }

    /** Thread.sleep that turns an interrupt into an exception (keeping the interrupt flag). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
