package io.homestack.eventbridge;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How the bridge is configured: environment variables, the MQTT login from files (the mounted Secret) or variables.
 *
 * <pre>
 *   MQTT_URL             broker, default tcp://mosquitto.home-automation.svc:1883 (tcp:// or ssl://)
 *   MQTT_USERNAME[_FILE] user, required (the file wins; Secret mqtt-bridge, key username)
 *   MQTT_PASSWORD[_FILE] password, required (Secret mqtt-bridge, key password)
 *   MQTT_CLIENT_ID       default event-bridge
 *   BASE_TOPIC           Zigbee2MQTT's base topic, default zigbee2mqtt
 *   METRICS_PORT         Prometheus /metrics, default 9090
 *   MAX_DEVICES          the most devices a bridge/devices list may name, default 1000 (a longer list is refused)
 * </pre>
 *
 * A bad value fails with a message that names the variable (or the file): Main exits 2 with it.
 */
public record Settings(String brokerUrl, String username, String password, String clientId, String baseTopic,
                       int metricsPort, int maxDevices) {

    public static Settings from(Map<String, String> env) {
        String url = env.getOrDefault("MQTT_URL", "tcp://mosquitto.home-automation.svc:1883").strip();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MQTT_URL='" + url + "' is not a URL: " + e.getMessage(), e);
        }
        if (!("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("MQTT_URL='" + url + "' is not tcp://host:port or ssl://host:port");
        }
        String base = env.getOrDefault("BASE_TOPIC", "zigbee2mqtt").strip();
        if (base.isEmpty() || base.contains("#") || base.contains("+") || base.startsWith("/") || base.endsWith("/")) {
            throw new IllegalArgumentException("BASE_TOPIC='" + base + "' is not a topic (no wildcards, no leading or"
                    + " trailing '/')");
        }
        return new Settings(url, required(env, "MQTT_USERNAME"), required(env, "MQTT_PASSWORD"),
                env.getOrDefault("MQTT_CLIENT_ID", "event-bridge"), base,
                number(env, "METRICS_PORT", 9090, 0, 65535), number(env, "MAX_DEVICES", 1000, 1, 100_000));
    }

    /** {@code NAME_FILE} (a mounted Secret key, surrounding blanks dropped) before {@code NAME}; one must be set. */
    static String required(Map<String, String> env, String name) {
        String file = env.get(name + "_FILE");
        String value;
        if (file != null) {
            try {
                value = Files.readString(Path.of(file)).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(name + "_FILE=" + file + ": cannot read it (" + e + ")", e);
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException(name + "_FILE=" + file + ": the file is empty");
            }
            return value;
        }
        value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set (nor " + name + "_FILE): the broker allows no"
                    + " anonymous clients");
        }
        return value;
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + "='" + value + "' is not between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + value + "' is not a number", e);
        }
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "Settings[" + brokerUrl + " as " + username + ", base topic " + baseTopic + ", metrics :" + metricsPort
                + ", at most " + maxDevices + " devices]";
    }
}
