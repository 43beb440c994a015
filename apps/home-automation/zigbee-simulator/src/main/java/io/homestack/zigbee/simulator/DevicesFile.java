package io.homestack.zigbee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The simulated network, from a YAML file (a ConfigMap key in the cluster):
 *
 * <pre>
 * coordinator: "0x00124b0000000001"     # optional; the bridge's own IEEE address
 * devices:
 *   - ieee_address: "0x0017880100000001"
 *     friendly_name: living_room_light
 *     type: light                       # light | switch | climate_sensor | button
 *     vendor: Philips                   # optional, with model and description
 *     model: "9290011370"
 * </pre>
 *
 * Every error names the file, the device and the rule.
 */
public record DevicesFile(String coordinator, List<Device> devices) {

    private static final Pattern IEEE = Pattern.compile("0x[0-9a-f]{16}");
    /** MQTT wildcards and the topic separator cannot be in a topic level; Zigbee2MQTT refuses them too. */
    private static final Pattern FRIENDLY_NAME = Pattern.compile("[^/#+\\s][^/#+]*[^/#+\\s]|[^/#+\\s]");
    private static final String DEFAULT_COORDINATOR = "0x00124b0000000001";

    public static DevicesFile read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it as YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.path("devices").isArray() || root.path("devices").isEmpty()) {
            throw new IllegalArgumentException(file + ": no `devices` list (at least one device)");
        }
        String coordinator = root.path("coordinator").asText(DEFAULT_COORDINATOR);
        if (!IEEE.matcher(coordinator).matches()) {
            throw new IllegalArgumentException(file + ": coordinator '" + coordinator + "' is not an IEEE address"
                    + " (0x and 16 lower-case hex digits)");
        }
        List<Device> devices = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> addresses = new HashSet<>(Set.of(coordinator));
        for (int i = 0; i < root.path("devices").size(); i++) {
            Device device = device(root.path("devices").get(i), file + ": devices[" + i + "]");
            String where = file + ": devices[" + i + "] (" + device.friendlyName() + ")";
            if (!names.add(device.friendlyName())) {
                throw new IllegalArgumentException(where + ": friendly_name is used by another device");
            }
            if (!addresses.add(device.ieeeAddress())) {
                throw new IllegalArgumentException(where + ": ieee_address " + device.ieeeAddress()
                        + " is used by another device or the coordinator");
            }
            devices.add(device);
        }
        return new DevicesFile(coordinator, List.copyOf(devices));
    }

    private static Device device(JsonNode node, String where) {
        String ieee = required(node, "ieee_address", where);
        if (!IEEE.matcher(ieee).matches()) {
            throw new IllegalArgumentException(where + ": ieee_address '" + ieee + "' is not 0x and 16 lower-case hex digits");
        }
        String name = required(node, "friendly_name", where);
        if (!FRIENDLY_NAME.matcher(name).matches() || name.equals("bridge") || name.endsWith("/set")) {
            throw new IllegalArgumentException(where + ": friendly_name '" + name + "' cannot be a topic level"
                    + " (no '/', '#', '+', no surrounding blanks, not 'bridge')");
        }
        String type = required(node, "type", where);
        DeviceKind kind = DeviceKind.byConfigName(type);
        if (kind == null) {
            throw new IllegalArgumentException(where + ": type '" + type + "' is not one of " + DeviceKind.configNames());
        }
        return new Device(ieee, name, kind, node.path("vendor").asText("homestack"),
                node.path("model").asText("SIM-" + type.toUpperCase(java.util.Locale.ROOT)),
                node.path("description").asText("Simulated " + type.replace('_', ' ')));
    }

    private static String required(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || !value.isValueNode() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": `" + key + "` is missing");
        }
        return value.asText();
    }
}
