package io.homestack.testsupport;

import org.opentest4j.TestAbortedException;

/**
 * CI mode, the one definition: whether a test may be skipped for a missing test tool (docker-registry, skopeo,
 * htpasswd, kubeseal, the envtest binaries and CRD cache). On a developer's machine it may, with the reason printed
 * and counted as skipped, so that `mvn install` works on a fresh clone before `make deps`; in CI ({@code CI=true}, set
 * by every CI runner and by {@code .ci/run}, or {@code -Dhomestack.requireTools=true}) a missing tool fails the test,
 * so a green CI run means every test ran.
 */
public final class TestTools {

    /** The environment variable every CI runner sets to {@code true}. */
    public static final String ENV = "CI";
    /** The system property that asks for CI mode without CI (Maven passes {@code -D...} to the test JVM). */
    public static final String PROPERTY = "homestack.requireTools";
    public static final String HOW_TO_INSTALL = "run `make deps` (Debian packages and the envtest binaries from Go modules)";

    private TestTools() {
    }

    public static boolean required() {
        return required(System.getenv(ENV), System.getProperty(PROPERTY));
    }

    /** @param ciVariable the value of the environment variable CI; @param property that of {@link #PROPERTY} */
    static boolean required(String ciVariable, String property) {
        return "true".equalsIgnoreCase(ciVariable) || "true".equalsIgnoreCase(property);
    }

    /**
     * What to throw for a missing test tool: in CI a failure, elsewhere a skip whose reason is the message and how to
     * install the tools. {@code throw TestTools.missing("skopeo not found on the PATH: apt-get install skopeo");}
     */
    public static RuntimeException missing(String message) {
        return missing(message, required());
    }

    static RuntimeException missing(String message, boolean required) {
        String full = message.endsWith(".") ? message + " Or " + HOW_TO_INSTALL + "." : message + " (or " + HOW_TO_INSTALL + ")";
        if (required) {
            return new IllegalStateException(full + ". In CI mode (" + ENV + "=true or -D" + PROPERTY
                    + "=true) a missing test tool fails the test instead of skipping it.");
        }
        System.out.println("[homestack] SKIPPED outside CI: " + full);
        return new TestAbortedException(full);
    }
}
