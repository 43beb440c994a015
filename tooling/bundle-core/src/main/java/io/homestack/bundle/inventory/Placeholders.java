package io.homestack.bundle.inventory;

import io.homestack.bundle.BundleException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values of an inventory that are still placeholders: a host under a name that RFC 2606 reserves for
 * documentation ({@code example}, {@code example.com}, {@code example.net}, {@code example.org}, {@code test},
 * {@code invalid}), which no real machine has, and a Zigbee coordinator device path with the word {@code example} in
 * it (no USB device is named so). Building and testing a release with them is fine; publishing one is
 * not ({@link #requireNone}).
 */
public final class Placeholders {

    public static final String RULE = "a host under a name RFC 2606 reserves for documentation (example, example.com,"
            + " example.net, example.org, test, invalid) is a placeholder, never a real machine; so is a zigbee.device"
            + " with the word 'example' in it";

    private static final List<String> RESERVED = List.of("example", "example.com", "example.net", "example.org", "test",
            "invalid");

    private Placeholders() {
    }

    /** Key (as written in the file) to value, for every placeholder; empty when the inventory is real. */
    public static Map<String, String> of(Inventory inventory) {
        Map<String, String> found = new TreeMap<>();
        inventory.registry().filter(Placeholders::isPlaceholder).ifPresent(v -> found.put("registry", v));
        inventory.domain().filter(Placeholders::isPlaceholder).ifPresent(v -> found.put("domain", v));
        inventory.nas().map(Inventory.Nas::server).filter(Placeholders::isPlaceholder)
                .ifPresent(v -> found.put("storage.nas.server", v));
        inventory.zigbee().map(Inventory.Zigbee::device)
                .filter(d -> d.toLowerCase(Locale.ROOT).matches(".*(^|[^a-z])example([^a-z]|$).*"))
                .ifPresent(v -> found.put("zigbee.device", v));
        return found;
    }

    public static boolean isPlaceholder(String host) {
        String name = host.replaceFirst(":[0-9]+$", "").toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
        return RESERVED.stream().anyMatch(r -> name.equals(r) || name.endsWith("." + r));
    }

    /**
     * Refuses {@code action} (e.g. "push release-k3s") while the inventory has a placeholder, naming the file, every
     * key with its value and the rule.
     */
    public static void requireNone(Inventory inventory, String action) {
        List<String> problems = new ArrayList<>();
        of(inventory).forEach((key, value) -> problems.add(key + " is '" + value + "', a placeholder"));
        if (inventory.registry().isEmpty()) {
            problems.add("registry is missing (the registry the cluster pulls the release from)");
        }
        if (!problems.isEmpty()) {
            throw new BundleException("refusing to " + action + ": " + inventory.source() + ": "
                    + String.join("; ", problems) + " (rule: " + RULE + "). Set the real values there, rebuild and"
                    + " publish again.");
        }
    }
}
