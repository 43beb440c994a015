package io.homestack.bundle.oci;

/**
 * A failure that another attempt may cure: no connection, a 5xx or a 429. Checked, so every step states that it
 * can be retried; {@link Operation#retrying} turns the last one into a {@link io.homestack.bundle.BundleException}.
 *
 * @param summary e.g. "connection refused" or "HTTP 503 Service Unavailable"
 * @param context what was tried or a hint, e.g. "(is the registry running?)"
 */
final class TransientFailure extends Exception {

    private final String summary;
    private final String context;

    TransientFailure(String summary, String context, Throwable cause) {
        super(summary + " " + context, cause, false, false);
        this.summary = summary;
        this.context = context;
    }

    String summary() {
        return summary;
    }

    String context() {
        return context;
    }
}
