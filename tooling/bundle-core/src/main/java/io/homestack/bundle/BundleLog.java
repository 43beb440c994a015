package io.homestack.bundle;

/** The library's own small logger, so that it needs no Maven API; the plugin adapts Maven's log to it. */
public interface BundleLog {

    void info(String message);

    void warn(String message);

    void debug(String message);

    /** Discards everything; for tests and library callers that do not care. */
    BundleLog SILENT = new BundleLog() {
        @Override public void info(String message) { }
        @Override public void warn(String message) { }
        @Override public void debug(String message) { }
    };
}
