package io.homestack.bundle.test.prometheus;

import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.testsupport.TestTools;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code promtool} and {@code prometheus} as {@code tooling/k8s-test-binaries/build.sh prometheus} builds them (the Go
 * module at PROMETHEUS_VERSION, beside the envtest binaries). Missing: skipped with the reason, a failure in CI mode.
 */
public final class PrometheusBinaries {

    public static final String VERSION_KEY = "PROMETHEUS_VERSION";

    private PrometheusBinaries() {
    }

    public static Path promtool() {
        return locate("promtool");
    }

    public static Path prometheus() {
        return locate("prometheus");
    }

    static Path locate(String name) {
        TestBinaries binaries = TestBinaries.locate();
        if (!binaries.missing(List.of(name)).isEmpty()) {
            throw TestTools.missing(name + " (Go module github.com/prometheus/prometheus " + binaries.version(VERSION_KEY)
                    + ") not found in " + binaries.binDir() + ". " + binaries.buildHint("prometheus") + ".");
        }
        return binaries.binary(name);
    }
}
