package io.homestack.bundle.test.engine;

import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.testsupport.TestTools;

import java.nio.file.Path;
import java.util.List;

/**
 * Engines that tooling/k8s-test-binaries/build.sh builds beside the envtest binaries (otelcol, jaeger): a missing one
 * skips the test with the reason outside CI and fails it in CI, as every other test tool does.
 */
public final class EngineBinaries {

    private EngineBinaries() {
    }

    /** The executable {@code name} that {@code build.sh name} builds. */
    public static Path require(String name) {
        return require(TestBinaries.locate(), name);
    }

    static Path require(TestBinaries binaries, String name) {
        if (binaries.missing(List.of(name)).isEmpty()) {
            return binaries.binary(name);
        }
        throw TestTools.missing(name + " is not built in " + binaries.binDir() + ". " + binaries.buildHint(name) + ".");
    }
}
