package io.homestack.maven;

import io.homestack.bundle.BundleLog;
import org.apache.maven.plugin.logging.Log;

/** Adapts Maven's log to the library's logger. */
final class MavenBundleLog implements BundleLog {

    private final Log log;

    MavenBundleLog(Log log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    @Override
    public void debug(String message) {
        log.debug(message);
    }
}
