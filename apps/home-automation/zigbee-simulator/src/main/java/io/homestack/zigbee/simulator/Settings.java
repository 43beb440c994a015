package io.homestack.zigbee.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How the simulator is configured: from environment variables, secrets from files (a mounted Secret) or variables.
 *
 * <pre>
 *   MQTT_URL             broker, default tcp://mosquitto.home-automation.svc:1883
 *   MQTT_USERNAME[_FILE] user (the file wins; Secret mqtt-zigbee2mqtt, key username)
 *   MQTT_PASSWORD[_FILE] password (Secret mqtt-zigbee2mqtt, key password)
 *   MQTT_CLIENT_ID       default zigbee2mqtt-simulator
 *   DEVICES_FILE         the simulated devices (DevicesFile), default /etc/zigbee-simulator/devices.yaml
 *   METRICS_PORT         Prometheus /metrics, default 9090
 *   BASE_TOPIC           Zigbee2MQTT's base topic, default zigbee2mqtt
 *   DISCOVERY_PREFIX     Home Assistant's discovery prefix, default homeassistant
 *   SENSOR_INTERVAL      seconds between sensor reports, default 60
 *   BUTTON_INTERVAL      seconds between button presses, default 0 (only when asked: {"action":"single"} to /set)
 * </pre>
 */
public record Settings(String brokerUrl, String username, String password, String clientId, Path devicesFile,
                       int metricsPort, Topics topics, int sensorIntervalSeconds, int buttonIntervalSeconds) {

    public static Settings from(Map<String, String> env) {
        return new Settings(
                env.getOrDefault("MQTT_URL", "tcp://mosquitto.home-automation.svc:1883"),
                secret(env, "MQTT_USERNAME"),
                secret(env, "MQTT_PASSWORD"),
                env.getOrDefault("MQTT_CLIENT_ID", "zigbee2mqtt-simulator"),
                Path.of(env.getOrDefault("DEVICES_FILE", "/etc/zigbee-simulator/devices.yaml")),
                number(env, "METRICS_PORT", 9090),
                new Topics(env.getOrDefault("BASE_TOPIC", "zigbee2mqtt"), env.getOrDefault("DISCOVERY_PREFIX", "homeassistant")),
                number(env, "SENSOR_INTERVAL", 60),
                number(env, "BUTTON_INTERVAL", 0));
    }

    /** {@code NAME_FILE} (a mounted Secret key, trailing newline dropped) before {@code NAME}; null when neither is set. */
    static String secret(Map<String, String> env, String name) {
        String file = env.get(name + "_FILE");
        if (file == null) {
            return env.get(name);
        }
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(name + "_FILE=" + file + ": cannot read (" + e + ")", e);
        }
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        try {
            return value == null ? fallback : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + value + "' is not a number", e);
        }
    }

    @Override
    public String toString() {
        return "Settings[" + brokerUrl + " as " + username + ", devices " + devicesFile + ", metrics :" + metricsPort
                + ", " + topics + "]";
    }
}
