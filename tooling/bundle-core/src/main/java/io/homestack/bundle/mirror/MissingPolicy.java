package io.homestack.bundle.mirror;

import io.homestack.bundle.BundleException;

import java.util.Arrays;
import java.util.Locale;

/**
 * What the mirror does with a chart or Git source it cannot find in its directories (docs/mirror.md). Whatever the
 * policy, every missing one is named in the log and in mirror.json.
 */
public enum MissingPolicy {
    /** Fail before anything is pushed, naming every missing one (the default). */
    FAIL,
    /** Relocate the rest; the Applications of the missing ones keep their upstream source. */
    KEEP,
    /**
     * Relocate the rest and remove the Applications of the missing ones from the relocated bundles, so a preview or
     * test of everything else can finish. The relocated release then deploys less than the original.
     */
    OMIT;

    /** {@code fail}, {@code keep} or {@code omit}; null or blank is the default, {@code fail}. */
    public static MissingPolicy parse(String value) {
        if (value == null || value.isBlank()) {
            return FAIL;
        }
        return Arrays.stream(values()).filter(p -> p.id().equals(value.trim().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new BundleException("mirror: missing policy '" + value + "': expected fail, keep or"
                        + " omit (homestack.mirror.missing)"));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
