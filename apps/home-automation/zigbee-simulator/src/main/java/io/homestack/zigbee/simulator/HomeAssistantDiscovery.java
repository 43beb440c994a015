package io.homestack.zigbee.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Home Assistant MQTT discovery as Zigbee2MQTT publishes it (retained, QoS 1): one config per entity at
 * {@code <prefix>/<component>/<ieee>/<object_id>/config}, with {@code unique_id <ieee>_<object_id>_zigbee2mqtt}, the
 * device's own topic as state topic, {@code /set} as command topic, and the bridge state as availability, so Home
 * Assistant creates the entities and marks them unavailable when the bridge goes offline.
 */
public final class HomeAssistantDiscovery {

    /** One discovery message. */
    public record Config(String topic, String payload) {
    }

    private static final String ORIGIN = "Zigbee2MQTT (homestack simulator)";

    private HomeAssistantDiscovery() {
    }

    public static List<Config> configs(Device device, DevicesFile network, Topics topics) {
        List<Config> configs = new ArrayList<>();
        String state = topics.device(device.friendlyName());
        switch (device.kind()) {
            case LIGHT -> {
                ObjectNode light = entity(device, network, topics, "light").putNull("name").put("schema", "json")
                        .put("command_topic", state + "/set").put("brightness", true).put("brightness_scale", 254);
                light.putArray("supported_color_modes").add("brightness");
                configs.add(config(topics, "light", device, "light", light));
            }
            case SWITCH -> configs.add(config(topics, "switch", device, "switch",
                    entity(device, network, topics, "switch").putNull("name").put("command_topic", state + "/set")
                            .put("payload_on", "ON").put("payload_off", "OFF").put("state_on", "ON").put("state_off", "OFF")
                            .put("value_template", "{{ value_json.state }}")));
            case CLIMATE_SENSOR -> {
                configs.add(sensor(device, network, topics, "temperature", "Temperature", "temperature", "°C"));
                configs.add(sensor(device, network, topics, "humidity", "Humidity", "humidity", "%"));
                ObjectNode battery = sensorNode(device, network, topics, "battery", "Battery", "battery", "%")
                        .put("entity_category", "diagnostic");
                configs.add(config(topics, "sensor", device, "battery", battery));
            }
            // Zigbee2MQTT 2.x makes no entity of the action (without experimental_event_entities): each action is a
            // device trigger, announced at its first press (deviceTrigger); the battery and its voltage are sensors.
            case BUTTON -> {
                configs.add(config(topics, "sensor", device, "battery", sensorNode(device, network, topics, "battery",
                        "Battery", "battery", "%").put("entity_category", "diagnostic")));
                configs.add(config(topics, "sensor", device, "voltage", sensorNode(device, network, topics, "voltage",
                        "Voltage", "voltage", "mV").put("entity_category", "diagnostic").put("enabled_by_default", false)));
            }
        }
        ObjectNode linkquality = sensorNode(device, network, topics, "linkquality", "Linkquality", null, "lqi")
                .put("enabled_by_default", false).put("entity_category", "diagnostic").put("icon", "mdi:signal");
        configs.add(config(topics, "sensor", device, "linkquality", linkquality));
        return configs;
    }

    /**
     * The MQTT device trigger Zigbee2MQTT announces (retained) the first time a device sends {@code action}: at
     * {@code <prefix>/device_automation/<ieee>/action_<action>/config}, firing on the plain value at
     * {@link Topics#action}. Home Assistant lists it among the device's triggers, for automations made in its UI.
     */
    public static Config deviceTrigger(Device device, DevicesFile network, Topics topics, String action) {
        ObjectNode trigger = Z2mPayloads.JSON.createObjectNode().put("automation_type", "trigger").put("type", "action")
                .put("subtype", action).put("payload", action).put("topic", topics.action(device.friendlyName()));
        trigger.set("device", devicePayload(device, network));
        trigger.putObject("origin").put("name", ORIGIN);
        return config(topics, "device_automation", device, "action_" + action, trigger);
    }

    private static Config sensor(Device device, DevicesFile network, Topics topics, String property, String name,
                                 String deviceClass, String unit) {
        return config(topics, "sensor", device, property, sensorNode(device, network, topics, property, name, deviceClass, unit));
    }

    private static ObjectNode sensorNode(Device device, DevicesFile network, Topics topics, String property, String name,
                                         String deviceClass, String unit) {
        ObjectNode node = entity(device, network, topics, property).put("name", name).put("state_class", "measurement")
                .put("unit_of_measurement", unit).put("value_template", "{{ value_json." + property + " }}");
        if (deviceClass != null) {
            node.put("device_class", deviceClass);
        }
        return node;
    }

    /** What every entity has: ids, topics, availability, the device it belongs to (via the bridge), the origin. */
    private static ObjectNode entity(Device device, DevicesFile network, Topics topics, String objectId) {
        ObjectNode node = Z2mPayloads.JSON.createObjectNode();
        node.put("unique_id", device.ieeeAddress() + "_" + objectId + "_zigbee2mqtt")
                .put("object_id", device.friendlyName() + ("light".equals(objectId) || "switch".equals(objectId) ? "" : "_" + objectId))
                .put("state_topic", topics.device(device.friendlyName()))
                .put("json_attributes_topic", topics.device(device.friendlyName()));
        node.putArray("availability").addObject().put("topic", topics.bridgeState())
                .put("value_template", "{{ value_json.state }}");
        node.set("device", devicePayload(device, network));
        node.putObject("origin").put("name", ORIGIN);
        return node;
    }

    /** The device an entity or trigger belongs to, reached through the bridge. */
    private static ObjectNode devicePayload(Device device, DevicesFile network) {
        ObjectNode dev = Z2mPayloads.JSON.createObjectNode();
        dev.putArray("identifiers").add("zigbee2mqtt_" + device.ieeeAddress());
        dev.put("name", device.friendlyName()).put("model", device.description() + " (" + device.model() + ")")
                .put("manufacturer", device.vendor()).put("via_device", "zigbee2mqtt_bridge_" + network.coordinator());
        return dev;
    }

    private static Config config(Topics topics, String component, Device device, String objectId, ObjectNode payload) {
        return new Config(topics.discovery(component, device.ieeeAddress(), objectId), Z2mPayloads.write(payload));
    }
}
