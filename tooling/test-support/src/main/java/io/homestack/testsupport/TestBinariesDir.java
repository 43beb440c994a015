package io.homestack.testsupport;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where tooling/k8s-test-binaries/build.sh and charts.sh put the test binaries, CRDs and charts, resolved as they
 * resolve it ({@code DIR=${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}}), so that a test looks where the scripts wrote.
 */
public final class TestBinariesDir {

    /** The environment variable the scripts and the tests read. */
    public static final String ENV = "HOMESTACK_K8S_BIN_DIR";

    private TestBinariesDir() {
    }

    /** {@code $HOMESTACK_K8S_BIN_DIR}, else {@code ~/.kubeapitest} under {@link UserHome}. */
    public static Path get() {
        return of(System::getenv, System::getProperty)
                .orElseThrow(() -> new IllegalStateException(ENV + ", HOME and user.home are all unset"));
    }

    /** {@value #ENV} from {@code environment}, else {@code .kubeapitest} in the user's home; blank is unset. */
    public static Optional<Path> of(UnaryOperator<String> environment, UnaryOperator<String> systemProperties) {
        return Optional.ofNullable(environment.apply(ENV)).filter(s -> !s.isBlank()).map(Path::of)
                .or(() -> UserHome.of(environment, systemProperties).map(home -> home.resolve(".kubeapitest")));
    }
}
