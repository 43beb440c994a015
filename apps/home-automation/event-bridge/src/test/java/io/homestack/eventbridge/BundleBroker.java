package io.homestack.eventbridge;

import io.homestack.bundle.test.engine.Mosquitto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Debian's Mosquitto (the kit's engine) run from the bundle's own mosquitto.conf and ACL
 * (manifests/base/mosquitto: what the ConfigMap mosquitto-config holds), with a password file for the users these
 * tests log in as: {@code bridge} (read-only on zigbee2mqtt/# and homeassistant/#), {@code zigbee2mqtt} and
 * {@code homeassistant}, with the k3d test passwords.
 */
final class BundleBroker {

    static final Path MOSQUITTO = Path.of("../manifests/base/mosquitto");

    private BundleBroker() {
    }

    /** The k3d test password of a user (README "Mosquitto"). */
    static String password(String user) {
        return user + "-k3d-test-password";
    }

    static Mosquitto.Broker start(Path dir) throws IOException {
        Mosquitto mosquitto = Mosquitto.locate();
        String passwd = Mosquitto.passwordFile(Map.of("bridge", password("bridge"), "zigbee2mqtt",
                password("zigbee2mqtt"), "homeassistant", password("homeassistant")), dir.resolve("work"));
        return mosquitto.start(Files.readString(MOSQUITTO.resolve("mosquitto.conf")), Map.of(
                "/mosquitto/passwords/passwd", passwd,
                "/mosquitto/config/acl", Files.readString(MOSQUITTO.resolve("acl"))), dir.resolve("broker"));
    }
}
