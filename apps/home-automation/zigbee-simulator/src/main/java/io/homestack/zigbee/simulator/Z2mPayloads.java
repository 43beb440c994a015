package io.homestack.zigbee.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * The JSON Zigbee2MQTT publishes: {@code bridge/state} ({"state":"online"}), {@code bridge/devices} (the coordinator
 * and every device with its definition and {@code exposes}) and a device's state.
 */
public final class Z2mPayloads {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int ACCESS_STATE = 1;
    private static final int ACCESS_STATE_SET_GET = 7;

    private Z2mPayloads() {
    }

    public static String bridgeState(boolean online) {
        return "{\"state\":\"" + (online ? "online" : "offline") + "\"}";
    }

    public static String deviceState(Map<String, Object> state) {
        return write(JSON.valueToTree(state));
    }

    /** A button press: the action first, then the device's state, in one message. */
    public static String action(String action, Map<String, Object> state) {
        Map<String, Object> message = new java.util.LinkedHashMap<>();
        message.put("action", action);
        message.putAll(state);
        return deviceState(message);
    }

    public static String bridgeDevices(DevicesFile network) {
        ArrayNode list = JSON.createArrayNode();
        ObjectNode coordinator = list.addObject();
        coordinator.put("ieee_address", network.coordinator()).put("type", "Coordinator").put("network_address", 0)
                .put("supported", true).put("friendly_name", "Coordinator").put("disabled", false)
                .putNull("definition").putNull("power_source").put("interview_completed", true)
                .put("interviewing", false);
        for (Device device : network.devices()) {
            ObjectNode node = list.addObject();
            node.put("ieee_address", device.ieeeAddress()).put("type", device.kind().zigbeeType())
                    .put("network_address", networkAddress(device)).put("supported", true)
                    .put("friendly_name", device.friendlyName()).put("disabled", false)
                    .put("power_source", device.kind().powerSource()).put("model_id", device.model())
                    .put("manufacturer", device.vendor()).put("interview_completed", true).put("interviewing", false);
            ObjectNode definition = node.putObject("definition");
            definition.put("model", device.model()).put("vendor", device.vendor())
                    .put("description", device.description()).put("supports_ota", false);
            exposes(device.kind(), definition.putArray("exposes"));
            definition.putArray("options");
        }
        return write(list);
    }

    /** A stable short address per device (the real one is assigned when the device joins). */
    static int networkAddress(Device device) {
        return 1 + Math.floorMod(device.ieeeAddress().hashCode(), 0xFFF0);
    }

    private static void exposes(DeviceKind kind, ArrayNode exposes) {
        switch (kind) {
            case LIGHT -> {
                ArrayNode features = exposes.addObject().put("type", "light").putArray("features");
                onOff(features, "light");
                numeric(features, "brightness", ACCESS_STATE_SET_GET, null, "Brightness of this light")
                        .put("value_min", 0).put("value_max", 254);
            }
            case SWITCH -> onOff(exposes.addObject().put("type", "switch").putArray("features"), "switch");
            case CLIMATE_SENSOR -> {
                numeric(exposes, "temperature", ACCESS_STATE, "°C", "Measured temperature value");
                numeric(exposes, "humidity", ACCESS_STATE, "%", "Measured relative humidity");
                numeric(exposes, "battery", ACCESS_STATE, "%", "Remaining battery in %")
                        .put("value_min", 0).put("value_max", 100);
            }
            case BUTTON -> {
                numeric(exposes, "battery", ACCESS_STATE, "%", "Remaining battery in %")
                        .put("value_min", 0).put("value_max", 100);
                numeric(exposes, "voltage", ACCESS_STATE, "mV", "Voltage of the battery in millivolts");
                ArrayNode values = exposes.addObject().put("type", "enum").put("name", "action").put("label", "Action")
                        .put("property", "action").put("access", ACCESS_STATE)
                        .put("description", "Triggered action (e.g. a button click)").putArray("values");
                kind.actions().forEach(values::add);
            }
        }
        numeric(exposes, "linkquality", ACCESS_STATE, "lqi", "Link quality (signal strength)")
                .put("value_min", 0).put("value_max", 255);
    }

    private static void onOff(ArrayNode features, String what) {
        features.addObject().put("type", "binary").put("name", "state").put("label", "State").put("property", "state")
                .put("access", ACCESS_STATE_SET_GET).put("value_on", "ON").put("value_off", "OFF")
                .put("value_toggle", "TOGGLE").put("description", "On/off state of this " + what);
    }

    private static ObjectNode numeric(ArrayNode into, String name, int access, String unit, String description) {
        ObjectNode node = into.addObject().put("type", "numeric").put("name", name)
                .put("label", Character.toUpperCase(name.charAt(0)) + name.substring(1)).put("property", name)
                .put("access", access).put("description", description);
        if (unit != null) {
            node.put("unit", unit);
        }
        return node;
    }

    static String write(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
