package io.homestack.eventbridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.logging.Logger;

/**
 * Turns the messages under Zigbee2MQTT's base topic into metrics. {@code <base>/bridge/devices} (retained) is the
 * device list that bounds every label; {@code <base>/bridge/state} ({"state":"online"}, or plain "online" as before
 * Zigbee2MQTT 2.0) is the bridge; {@code <base>/<friendly_name>} is a device's JSON message, whose {@code action},
 * {@code linkquality} and {@code last_seen} are read. Friendly names may contain '/', so a topic is a device's exactly
 * when the list names it. Everything else is counted as ignored, with a reason. Called from one thread (Paho's).
 */
public final class Z2mEvents {

    private static final Logger LOG = Logger.getLogger(Z2mEvents.class.getName());
    /** A device message larger than this is not parsed (a real one is a few hundred bytes). */
    static final int MAX_DEVICE_PAYLOAD = 64 * 1024;

    private final String base;
    private final int maxDevices;
    private final BridgeMetrics metrics;
    private final Clock clock;
    private DeviceCatalog catalog = DeviceCatalog.EMPTY;

    public Z2mEvents(String baseTopic, int maxDevices, BridgeMetrics metrics, Clock clock) {
        this.base = baseTopic + "/";
        this.maxDevices = maxDevices;
        this.metrics = metrics;
        this.clock = clock;
    }

    public DeviceCatalog catalog() {
        return catalog;
    }

    public void handle(String topic, byte[] payload) {
        if (!topic.startsWith(base)) {
            metrics.ignored(Ignored.UNKNOWN_DEVICE);
            return;
        }
        String rest = topic.substring(base.length());
        if (rest.equals("bridge/devices")) {
            devices(payload);
        } else if (rest.equals("bridge/state")) {
            bridgeState(new String(payload, StandardCharsets.UTF_8).strip());
        } else if (rest.startsWith("bridge/")) {
            metrics.ignored(Ignored.BRIDGE_TOPIC);
        } else if (catalog.device(rest) != null) {
            device(catalog.device(rest), payload);
        } else {
            metrics.ignored(isSubtopic(rest) ? Ignored.DEVICE_SUBTOPIC : Ignored.UNKNOWN_DEVICE);
        }
    }

    /** Whether the topic is below a known device's: {@code <name>/set}, {@code <name>/availability}, ... */
    private boolean isSubtopic(String rest) {
        for (int slash = rest.lastIndexOf('/'); slash > 0; slash = rest.lastIndexOf('/', slash - 1)) {
            if (catalog.device(rest.substring(0, slash)) != null) {
                return true;
            }
        }
        return false;
    }

    private void devices(byte[] payload) {
        DeviceCatalog next;
        try {
            next = DeviceCatalog.parse(new String(payload, StandardCharsets.UTF_8), maxDevices);
        } catch (IllegalArgumentException e) {
            LOG.warning(base + "bridge/devices refused, keeping the " + catalog.devices().size() + " devices known: "
                    + e.getMessage());
            metrics.ignored(Ignored.BAD_DEVICE_LIST);
            return;
        }
        metrics.catalog(catalog, next);
        if (!next.devices().keySet().equals(catalog.devices().keySet())) {
            LOG.info("devices: " + next.devices().keySet());
        }
        catalog = next;
    }

    private void bridgeState(String payload) {
        String state = payload;
        if (payload.startsWith("{")) {
            try {
                state = DeviceCatalog.JSON.readTree(payload).path("state").asText("");
            } catch (JsonProcessingException e) {
                state = "";
            }
        }
        switch (state) {
            case "online" -> metrics.bridgeOnline(true);
            case "offline" -> metrics.bridgeOnline(false);
            default -> metrics.ignored(Ignored.BAD_BRIDGE_STATE);
        }
    }

    private void device(DeviceCatalog.Device device, byte[] payload) {
        if (payload.length > MAX_DEVICE_PAYLOAD) {
            metrics.ignored(Ignored.TOO_LARGE);
            return;
        }
        JsonNode message;
        try {
            message = DeviceCatalog.JSON.readTree(payload);
        } catch (java.io.IOException e) {
            message = null;
        }
        if (message == null || !message.isObject()) {
            metrics.ignored(Ignored.NOT_JSON);
            return;
        }
        String name = device.friendlyName();
        metrics.seen(name, lastSeen(message.path("last_seen")));
        if (message.path("linkquality").isNumber()) {
            metrics.linkQuality(name, message.path("linkquality").asDouble());
        }
        JsonNode action = message.path("action");
        // Absent, null or "" is no action ("" followed each action with Zigbee2MQTT 1.x's legacy HA triggers).
        if (action.isMissingNode() || action.isNull() || (action.isTextual() && action.asText().isEmpty())) {
            return;
        }
        if (action.isTextual() && device.actions().contains(action.asText())) {
            metrics.action(name, action.asText());
        } else {
            metrics.ignored(Ignored.UNKNOWN_ACTION);
        }
    }

    /**
     * Zigbee2MQTT adds {@code last_seen} when {@code advanced.last_seen} is set: epoch milliseconds, or ISO 8601 with
     * an offset; without it (or unreadable) the time of arrival.
     */
    private double lastSeen(JsonNode lastSeen) {
        if (lastSeen.isNumber()) {
            return lastSeen.asDouble() / 1000.0;
        }
        if (lastSeen.isTextual()) {
            try {
                OffsetDateTime at = OffsetDateTime.parse(lastSeen.asText());
                return at.toEpochSecond() + at.getNano() / 1e9;
            } catch (DateTimeParseException e) {
                // fall through to the arrival time
            }
        }
        return clock.millis() / 1000.0;
    }
}
