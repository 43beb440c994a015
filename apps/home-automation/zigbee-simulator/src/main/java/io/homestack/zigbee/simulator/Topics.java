package io.homestack.zigbee.simulator;

/** The topics Zigbee2MQTT uses under its base topic, and Home Assistant's discovery topics. */
public record Topics(String base, String discoveryPrefix) {

    public String bridgeState() {
        return base + "/bridge/state";
    }

    public String bridgeDevices() {
        return base + "/bridge/devices";
    }

    public String device(String friendlyName) {
        return base + "/" + friendlyName;
    }

    /**
     * Where Zigbee2MQTT repeats a device's action as a plain value ({@code <base>/<friendly_name>/action}), for Home
     * Assistant's MQTT device triggers, which cannot read JSON.
     */
    public String action(String friendlyName) {
        return device(friendlyName) + "/action";
    }

    /** What the simulator subscribes to for commands: {@code <base>/<friendly_name>/set}. */
    public String allSets() {
        return base + "/+/set";
    }

    /** The friendly name a {@code <base>/<friendly_name>/set} topic addresses, or null for any other topic. */
    public String setTarget(String topic) {
        String prefix = base + "/";
        if (!topic.startsWith(prefix) || !topic.endsWith("/set")) {
            return null;
        }
        String name = topic.substring(prefix.length(), topic.length() - "/set".length());
        return name.isEmpty() || name.contains("/") ? null : name;
    }

    /** Home Assistant announces itself here ("online") after a restart; discovery is then published again. */
    public String homeAssistantStatus() {
        return discoveryPrefix + "/status";
    }

    public String discovery(String component, String ieeeAddress, String objectId) {
        return discoveryPrefix + "/" + component + "/" + ieeeAddress + "/" + objectId + "/config";
    }
}
