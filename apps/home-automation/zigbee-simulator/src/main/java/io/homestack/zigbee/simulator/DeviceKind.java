package io.homestack.zigbee.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a simulated device is: its Zigbee role, its initial state, which properties a {@code /set} may change and what
 * it exposes (Zigbee2MQTT's {@code exposes} in {@code bridge/devices}); {@link HomeAssistantDiscovery} derives the
 * Home Assistant entities from the same kind.
 */
public enum DeviceKind {

    /** A dimmable bulb: state ON/OFF/TOGGLE and brightness 0-254. */
    LIGHT("light", "Router", "Mains (single phase)", Set.of("state", "brightness")) {
        @Override
        Map<String, Object> initialState() {
            return state("state", "OFF", "brightness", 254, "linkquality", 120);
        }
    },
    /** A smart plug or relay: state ON/OFF/TOGGLE. */
    SWITCH("switch", "Router", "Mains (single phase)", Set.of("state")) {
        @Override
        Map<String, Object> initialState() {
            return state("state", "OFF", "linkquality", 120);
        }
    },
    /** A battery temperature and humidity sensor: reports, accepts no command. */
    CLIMATE_SENSOR("climate_sensor", "EndDevice", "Battery", Set.of()) {
        @Override
        Map<String, Object> initialState() {
            return state("temperature", 21.5, "humidity", 45.0, "battery", 100, "linkquality", 90);
        }
    },
    /**
     * A battery remote with one button, modelled on Zigbee2MQTT's Aqara WXKG11LM (wireless mini switch): it exposes an
     * {@code action} enum, battery, voltage and link quality, and accepts no command. A press is published once, as
     * {@code {"action":"single",...}}; the action is not part of the state (Zigbee2MQTT does not cache it).
     */
    BUTTON("button", "EndDevice", "Battery", Set.of()) {
        @Override
        Map<String, Object> initialState() {
            return state("battery", 100, "voltage", 3005, "linkquality", 90);
        }
    };

    /** The action values of a {@link #BUTTON}, as WXKG11LM's definition declares them. */
    static final List<String> BUTTON_ACTIONS = List.of("single", "double", "triple", "quadruple", "hold", "release");

    private final String configName;
    private final String zigbeeType;
    private final String powerSource;
    private final Set<String> settable;

    DeviceKind(String configName, String zigbeeType, String powerSource, Set<String> settable) {
        this.configName = configName;
        this.zigbeeType = zigbeeType;
        this.powerSource = powerSource;
        this.settable = settable;
    }

    abstract Map<String, Object> initialState();

    /** The name in the devices file ({@code type: light}). */
    public String configName() {
        return configName;
    }

    /** Zigbee2MQTT's device type in {@code bridge/devices}: Router or EndDevice. */
    public String zigbeeType() {
        return zigbeeType;
    }

    public String powerSource() {
        return powerSource;
    }

    public Set<String> settable() {
        return settable;
    }

    /** The values of the {@code action} it exposes (none but for a button). */
    public List<String> actions() {
        return this == BUTTON ? BUTTON_ACTIONS : List.of();
    }

    public static DeviceKind byConfigName(String name) {
        for (DeviceKind kind : values()) {
            if (kind.configName.equals(name)) {
                return kind;
            }
        }
        return null;
    }

    public static List<String> configNames() {
        return java.util.Arrays.stream(values()).map(DeviceKind::configName).toList();
    }

    private static Map<String, Object> state(Object... pairs) {
        Map<String, Object> state = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            state.put((String) pairs[i], pairs[i + 1]);
        }
        return state;
    }
}
