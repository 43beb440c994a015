package io.homestack.bundle;

/**
 * Whether a test may be skipped for a missing test tool (docker-registry, skopeo, kubeseal, the envtest binaries).
 * On a developer's machine it may, with the reason printed and counted as skipped, so that `mvn install` works on a
 * fresh clone before `make deps`; in CI (`CI=true`, set by every CI runner, or {@code -Dhomestack.requireTools=true})
 * a missing tool fails the test, so a green CI run means every test ran.
 */
public final class TestTools {

    public static final String HOW_TO_INSTALL = "run `make deps` (Debian packages and the envtest binaries from Go modules)";

    private TestTools() {
    }

    public static boolean required() {
        return required(System.getenv("CI"), System.getProperty(PROPERTY));
    }

    public static final String PROPERTY = "homestack.requireTools";

    /** @param ciVariable the value of the environment variable CI; @param property that of {@link #PROPERTY} */
    static boolean required(String ciVariable, String property) {
        return "true".equalsIgnoreCase(ciVariable) || "true".equalsIgnoreCase(property);
    }
}
