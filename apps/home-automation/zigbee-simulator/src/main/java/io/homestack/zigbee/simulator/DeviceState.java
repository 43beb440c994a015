package io.homestack.zigbee.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies a {@code /set} command to a device's state the way Zigbee2MQTT's converters do for these kinds: state
 * ON/OFF/TOGGLE, brightness 0-254; anything else is refused with the reason Zigbee2MQTT would log.
 */
public final class DeviceState {

    private static final int MAX_BRIGHTNESS = 254;

    private DeviceState() {
    }

    /** @return the new state (a copy); the current one is left alone */
    public static Map<String, Object> apply(Device device, Map<String, Object> current, Map<String, Object> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command for '" + device.friendlyName() + "'");
        }
        Map<String, Object> next = new LinkedHashMap<>(current);
        for (Map.Entry<String, Object> entry : command.entrySet()) {
            String property = entry.getKey();
            if (!device.kind().settable().contains(property)) {
                throw new IllegalArgumentException("No converter available for '" + property + "' on '"
                        + device.friendlyName() + "' (" + device.kind().configName() + " sets "
                        + (device.kind().settable().isEmpty() ? "nothing" : device.kind().settable()) + ")");
            }
            next.put(property, switch (property) {
                case "state" -> onOff(device, entry.getValue(), current.get("state"));
                case "brightness" -> brightness(device, entry.getValue());
                default -> throw new IllegalStateException(property);
            });
        }
        // A bulb set to brightness 0 is off, as Zigbee2MQTT reports it; one given a brightness while off comes on.
        if (command.containsKey("brightness") && !command.containsKey("state")) {
            next.put("state", ((Number) next.get("brightness")).intValue() == 0 ? "OFF" : "ON");
        }
        return next;
    }

    private static String onOff(Device device, Object value, Object current) {
        String v = String.valueOf(value).toUpperCase(java.util.Locale.ROOT);
        return switch (v) {
            case "ON", "OFF" -> v;
            case "TOGGLE" -> "ON".equals(current) ? "OFF" : "ON";
            default -> throw new IllegalArgumentException("'" + device.friendlyName() + "': state must be ON, OFF or"
                    + " TOGGLE, not '" + value + "'");
        };
    }

    private static int brightness(Device device, Object value) {
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.intValue() < 0 || n.intValue() > MAX_BRIGHTNESS) {
            throw new IllegalArgumentException("'" + device.friendlyName() + "': brightness must be a whole number"
                    + " 0-" + MAX_BRIGHTNESS + ", not '" + value + "'");
        }
        return n.intValue();
    }

    /**
     * The action a press command asks of a button ({@code {"action":"single"}}; a simulator-only command: a real
     * remote is pressed, Zigbee2MQTT refuses to set its action).
     *
     * @throws IllegalArgumentException when the device is no button, or the action is not one it declares
     */
    public static String press(Device device, Map<String, Object> command) {
        if (device.kind().actions().isEmpty()) {
            throw new IllegalArgumentException("'" + device.friendlyName() + "' is a " + device.kind().configName()
                    + ", it has no action to press");
        }
        Object action = command.get("action");
        if (command.size() != 1 || !device.kind().actions().contains(String.valueOf(action))) {
            throw new IllegalArgumentException("'" + device.friendlyName() + "': press with {\"action\": one of "
                    + device.kind().actions() + "} only, not " + command);
        }
        return (String) action;
    }

    /** The next reading of a sensor: a slow, deterministic drift around its initial values. */
    public static Map<String, Object> sensorReading(Map<String, Object> current, long tick) {
        Map<String, Object> next = new LinkedHashMap<>(current);
        double wave = Math.sin(tick / 10.0);
        next.put("temperature", Math.round((21.5 + wave) * 10) / 10.0);
        next.put("humidity", Math.round((45.0 - 3 * wave) * 10) / 10.0);
        return next;
    }
}
