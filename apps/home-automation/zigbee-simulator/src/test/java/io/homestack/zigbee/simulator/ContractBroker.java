package io.homestack.zigbee.simulator;

import io.homestack.bundle.test.engine.Mosquitto;

import java.nio.file.Path;
import java.util.Map;

/**
 * Debian's Mosquitto (the kit's engine) with authentication on and the ACL issue 12's contract gives the two clients
 * of this test: {@code zigbee2mqtt} and {@code homeassistant} read and write {@code zigbee2mqtt/#} and
 * {@code homeassistant/#}; nobody else gets in.
 */
final class ContractBroker {

    static final String CONFIG = """
            listener 1883
            allow_anonymous false
            password_file /mosquitto/passwords/passwd
            acl_file /mosquitto/config/acl
            """;
    static final String ACL = """
            user zigbee2mqtt
            topic readwrite zigbee2mqtt/#
            topic readwrite homeassistant/#

            user homeassistant
            topic readwrite homeassistant/#
            topic readwrite zigbee2mqtt/#
            """;

    private ContractBroker() {
    }

    /** The k3d test password of a user, as the contract names them. */
    static String password(String user) {
        return user + "-k3d-test-password";
    }

    static Mosquitto.Broker start(Path dir) {
        Mosquitto mosquitto = Mosquitto.locate();
        String passwd = Mosquitto.passwordFile(Map.of("zigbee2mqtt", password("zigbee2mqtt"),
                "homeassistant", password("homeassistant")), dir.resolve("work"));
        return mosquitto.start(CONFIG, Map.of("/mosquitto/passwords/passwd", passwd, "/mosquitto/config/acl", ACL),
                dir.resolve("broker"));
    }
}
