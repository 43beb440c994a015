package io.homestack.bundle.oci;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One user-level registry operation, e.g. "push homestack/media:0.1.0 to localhost:5111": it words every error
 * (so each names registry, repository, request and status) and runs the bounded retry loop.
 */
final class Operation {

    interface Step<T> {
        T run() throws TransientFailure, IOException;
    }

    private final String title;
    private final String registry;
    private final RetryPolicy retry;
    private final BundleLog log;

    /** @param title e.g. "push homestack/media:0.1.0 to localhost:5111" */
    Operation(String title, String registry, RetryPolicy retry, BundleLog log) {
        this.title = title;
        this.registry = registry;
        this.retry = retry;
        this.log = log;
    }

    String registry() {
        return registry;
    }

    BundleException fail(String detail) {
        return new BundleException("Cannot " + title + ": " + detail);
    }

    BundleException fail(String detail, Throwable cause) {
        return new BundleException("Cannot " + title + ": " + detail, cause);
    }

    /** An unexpected, non-retryable answer; 401 and 403 get a hint about credentials. */
    BundleException httpError(HttpResponse<?> response, boolean anonymous) {
        int status = response.statusCode();
        String hint = switch (status) {
            case 401 -> anonymous
                    ? " (the registry requires credentials and none are configured for " + registry + ")"
                    : " (check the credentials configured for " + registry + ")";
            case 403 -> " (the credentials for " + registry + " are not allowed to do this)";
            default -> "";
        };
        return fail(HttpText.describe(response) + hint);
    }

    /** Runs {@code step} up to the policy's attempts while it fails transiently, sleeping with backoff between. */
    <T> T retrying(Step<T> step) {
        TransientFailure last = null;
        for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
            try {
                return step.run();
            } catch (TransientFailure e) {
                last = e;
                if (attempt < retry.attempts()) {
                    Duration delay = retry.delayAfter(attempt);
                    log.warn(title + ": " + e.summary() + " " + e.context() + "; retrying in " + delay.toMillis()
                            + " ms (attempt " + (attempt + 1) + " of " + retry.attempts() + ")");
                    sleep(delay);
                }
            } catch (IOException e) {
                throw fail("local I/O error: " + e, e);
            }
        }
        int n = retry.attempts();
        throw fail(last.summary() + " after " + n + (n == 1 ? " attempt " : " attempts ") + last.context(),
                last.getCause());
    }

    private void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted");
        }
    }
}
