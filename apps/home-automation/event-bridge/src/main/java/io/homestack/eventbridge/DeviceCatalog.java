package io.homestack.eventbridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The devices Zigbee2MQTT says it has: its retained {@code <base>/bridge/devices}, a JSON array of devices with
 * {@code ieee_address}, {@code type}, {@code friendly_name} and {@code definition} ({@code model}, {@code vendor},
 * {@code exposes}; null for an unsupported device). The coordinator is left out (it publishes no device messages).
 * A device's actions are the {@code values} of its {@code exposes} entry named and keyed {@code action} (an enum,
 * possibly inside a composite's or a specific expose's {@code features}). Only these devices and actions become label
 * values, so the label sets are as many as the list allows and no more.
 */
public record DeviceCatalog(Map<String, Device> devices) {

    /** The most action values one device may declare (multi-button remotes declare a few dozen). */
    static final int MAX_ACTIONS = 256;
    static final ObjectMapper JSON = new ObjectMapper();

    /** One device: its IEEE address, model and vendor ("" when Zigbee2MQTT has no definition) and its actions. */
    public record Device(String friendlyName, String ieeeAddress, String model, String vendor, Set<String> actions) {
    }

    public static final DeviceCatalog EMPTY = new DeviceCatalog(Map.of());

    /**
     * @throws IllegalArgumentException naming what is wrong when the payload is not such a list, names a friendly name
     *                                  twice, or has more than {@code maxDevices} devices
     */
    public static DeviceCatalog parse(String payload, int maxDevices) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("not a JSON array of devices");
        }
        Map<String, Device> devices = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            if ("Coordinator".equals(node.path("type").asText())) {
                continue;
            }
            String name = node.path("friendly_name").asText("");
            String ieee = node.path("ieee_address").asText("");
            if (name.isBlank() || ieee.isBlank()) {
                throw new IllegalArgumentException("[" + i + "]: no friendly_name or ieee_address");
            }
            if (devices.size() == maxDevices) {
                throw new IllegalArgumentException("more than " + maxDevices + " devices (MAX_DEVICES)");
            }
            JsonNode definition = node.path("definition");
            Set<String> actions = new LinkedHashSet<>();
            actions(definition.path("exposes"), actions);
            if (actions.size() > MAX_ACTIONS) {
                throw new IllegalArgumentException("[" + i + "] (" + name + "): " + actions.size()
                        + " action values, more than " + MAX_ACTIONS);
            }
            Device device = new Device(name, ieee, text(definition.path("model")), text(definition.path("vendor")),
                    Collections.unmodifiableSet(actions));
            if (devices.put(name, device) != null) {
                throw new IllegalArgumentException("[" + i + "]: friendly_name '" + name + "' is used twice");
            }
        }
        return new DeviceCatalog(Collections.unmodifiableMap(devices));
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : "";
    }

    /** Collects the enum values of every expose named and keyed "action", at any depth of {@code features}. */
    private static void actions(JsonNode exposes, Set<String> into) {
        if (!exposes.isArray()) {
            return;
        }
        for (JsonNode expose : exposes) {
            if ("action".equals(expose.path("name").asText()) && "action".equals(expose.path("property").asText("action"))
                    && expose.path("values").isArray()) {
                for (JsonNode value : expose.path("values")) {
                    if (value.isTextual() && !value.asText().isEmpty()) {
                        into.add(value.asText());
                    }
                }
            }
            actions(expose.path("features"), into);
        }
    }

    public Device device(String friendlyName) {
        return devices.get(friendlyName);
    }
}
