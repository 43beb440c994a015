package io.homestack.bundle.oci;

import java.time.Duration;

/**
 * How often a registry request is tried when the connection fails or the registry answers 5xx or 429: up to
 * {@code attempts} tries, waiting {@code baseDelay}, then twice that, and so on (capped at 30 s). Client errors
 * (4xx) are never retried.
 */
public record RetryPolicy(int attempts, Duration baseDelay) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(500));
    private static final Duration MAX_DELAY = Duration.ofSeconds(30);

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        if (baseDelay == null || baseDelay.isNegative()) {
            throw new IllegalArgumentException("baseDelay must be zero or positive, got " + baseDelay);
        }
    }

    /** Delay after the given failed attempt (1-based). */
    public Duration delayAfter(int failedAttempt) {
        Duration delay = baseDelay;
        for (int i = 1; i < failedAttempt && delay.compareTo(MAX_DELAY) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }
}
