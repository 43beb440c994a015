package io.homestack.bundle.test.internal;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The API server's answers that mean "busy, try again", not "no": a request that timed out on the client (fabric8's
 * request timeout, e.g. {@code The timeout period of 10000ms has been exceeded while executing PATCH}), 429 Too Many
 * Requests, 503, 504, 500 for an etcd or handler timeout, and a connection the server closed. Under load (a loaded CI machine) these come and go; a
 * cluster start retries them with backoff instead of failing.
 */
public final class Transient {

    private Transient() {
    }

    public static boolean is(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || t instanceof InterruptedIOException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            // Vert.x's HttpClosedException "Connection was closed": the API server dropped a pooled connection
            // (seen once during a loaded cluster start); the request can be sent again.
            if (message.contains("timeout period") || message.contains("timed out")
                    || message.contains("connection was closed")) {
                return true;
            }
            if (t instanceof KubernetesClientException k) {
                int code = k.getCode();
                if (code == 429 || code == 503 || code == 504
                        || code == 500 && (message.contains("timeout") || message.contains("etcdserver"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Runs the action, again after a transient failure (backoff 1, 2, 4 ... 16 s) until the budget is spent; any
     * other failure, and the last transient one, is thrown as it is. Only for idempotent actions (server-side apply,
     * reads, create-if-absent).
     */
    public static <T> T retry(String what, Duration budget, Supplier<T> action) {
        long deadline = System.nanoTime() + budget.toNanos();
        long pause = 1000;
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                if (!is(e) || System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw e;
                }
                System.out.println("[homestack] " + what + ": the API server is busy (attempt " + attempt + ", "
                        + e.getMessage() + "); trying again in " + pause / 1000 + " s");
                Await.sleep(pause);
                pause = Math.min(16_000, pause * 2);
            }
        }
    }

    public static void retry(String what, Duration budget, Runnable action) {
        retry(what, budget, () -> {
            action.run();
            return null;
        });
    }
}
