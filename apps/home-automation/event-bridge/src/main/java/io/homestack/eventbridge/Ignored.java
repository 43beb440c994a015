package io.homestack.eventbridge;

/** Why a message did not change a device series: the {@code reason} label of event_bridge_messages_ignored_total. */
public enum Ignored {
    /** A device message that is not a JSON object. */
    NOT_JSON("not_json"),
    /** A topic under the base topic that is no device of bridge/devices (also Zigbee2MQTT's group states). */
    UNKNOWN_DEVICE("unknown_device"),
    /** An {@code action} its device's definition does not declare (or not a string). */
    UNKNOWN_ACTION("unknown_action"),
    /** A device message over the size limit, not parsed. */
    TOO_LARGE("too_large"),
    /** A known device's sub-topic: {@code /set}, {@code /get}, {@code /availability}, the plain {@code /action}. */
    DEVICE_SUBTOPIC("device_subtopic"),
    /** Any bridge topic but state and devices (info, logging, event, response/..., groups, definitions). */
    BRIDGE_TOPIC("bridge_topic"),
    /** A bridge/devices payload that is not a valid device list; the previous list stays. */
    BAD_DEVICE_LIST("bad_device_list"),
    /** A bridge/state payload that says neither online nor offline; the previous value stays. */
    BAD_BRIDGE_STATE("bad_bridge_state");

    private final String label;

    Ignored(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
