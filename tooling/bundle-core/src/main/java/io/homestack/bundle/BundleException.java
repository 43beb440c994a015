package io.homestack.bundle;

/**
 * A problem the user can act on: bad input, a failed tool, an unreachable registry.
 * The message is the whole story (file, object, rule or endpoint); callers print it without a stack trace.
 */
public class BundleException extends RuntimeException {

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
