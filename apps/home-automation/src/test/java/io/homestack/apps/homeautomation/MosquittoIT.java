package io.homestack.apps.homeautomation;

import io.homestack.bundle.test.engine.Mosquitto;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real Mosquitto (Debian's, kit engine) started from the k3d render: mosquitto.conf and the ACL of the ConfigMap
 * mosquitto-config, the password file of the Secret mosquitto-passwords, the clients' logins from their Secrets
 * mqtt-&lt;user&gt; (all SealedSecrets opened with the committed k3d key). Clients speak MQTT 3.1.1 (Paho), as
 * Home Assistant, Zigbee2MQTT and Homebridge do by default.
 *
 * <p>What Mosquitto 2 does with the ACL, here and in the image (2.1.2; acl_file's subscribe check is a no-op in both,
 * see README "Mosquitto"): a subscription outside the ACL is granted in the SUBACK, but nothing it matches is
 * delivered; a publish outside the ACL is acknowledged (MQTT 3.1.1 has no way to refuse it) and dropped.
 */
class MosquittoIT {

    private static final long WAIT_SECONDS = 10;

    private static Map<String, String> logins;
    private static String passwordFile;

    /** Per test under target/mosquitto-it/, kept after the run: configuration, files, broker logs. */
    private Path dir;

    private Mosquitto.Broker broker;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeAll
    static void theShippedSecrets() {
        passwordFile = BundleMosquitto.passwordFile();
        logins = BundleMosquitto.logins(BundleMosquitto.users(passwordFile));
    }

    @BeforeEach
    void broker(TestInfo test) throws IOException {
        dir = BundleMosquitto.runDir("mosquitto-it", test.getTestMethod().orElseThrow().getName());
        broker = BundleMosquitto.start(dir.resolve("mosquitto"));
    }

    @AfterEach
    void stop() throws MqttException {
        for (MqttClient client : clients) {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyClientLogsInWithThePasswordOfItsOwnSecret() throws Exception {
        assertThat(logins.keySet()).as("the users of the password file")
                .containsExactlyInAnyOrder("homeassistant", "zigbee2mqtt", "homebridge", "bridge", "exporter");
        for (Map.Entry<String, String> login : logins.entrySet()) {
            MqttClient client = connect(login.getKey());
            assertThat(client.isConnected()).as("%s logged in; broker log %s", login.getKey(), broker.log()).isTrue();
        }
    }

    @Test
    void anonymousClientsAndWrongPasswordsAreRefusedByTheConnack() {
        assertRefused(null, null, "anonymous");
        assertRefused("homeassistant", "zigbee2mqtt-k3d-test-password", "homeassistant with zigbee2mqtt's password");
        assertRefused("homeassistant", "", "homeassistant with an empty password");
        assertRefused("nobody", "nobody-k3d-test-password", "a user the password file does not know");
    }

    @Test
    void zigbee2mqttsStatesAndDiscoveryReachItsReadersAndHomeAssistantsCommandsReachZigbee2mqtt() throws Exception {
        Inbox ha = subscribe("homeassistant", "zigbee2mqtt/#", "homeassistant/#");
        Inbox homebridge = subscribe("homebridge", "zigbee2mqtt/#");
        Inbox bridge = subscribe("bridge", "zigbee2mqtt/#", "homeassistant/#");
        Inbox z2m = subscribe("zigbee2mqtt", "zigbee2mqtt/+/set", "homeassistant/status");

        MqttClient zigbee2mqtt = z2m.client();
        publish(zigbee2mqtt, "zigbee2mqtt/bridge/state", "{\"state\":\"online\"}");
        publish(zigbee2mqtt, "homeassistant/light/0x01/light/config", "{\"name\":\"lamp\"}");
        assertThat(ha.next()).isEqualTo("zigbee2mqtt/bridge/state {\"state\":\"online\"}");
        assertThat(ha.next()).isEqualTo("homeassistant/light/0x01/light/config {\"name\":\"lamp\"}");
        assertThat(bridge.next()).isEqualTo("zigbee2mqtt/bridge/state {\"state\":\"online\"}");
        assertThat(bridge.next()).isEqualTo("homeassistant/light/0x01/light/config {\"name\":\"lamp\"}");
        assertThat(homebridge.next()).isEqualTo("zigbee2mqtt/bridge/state {\"state\":\"online\"}");

        publish(ha.client(), "homeassistant/status", "online");
        publish(ha.client(), "zigbee2mqtt/lamp/set", "{\"state\":\"ON\"}");
        publish(homebridge.client(), "zigbee2mqtt/lamp/set", "{\"state\":\"OFF\"}");
        assertThat(z2m.next()).isEqualTo("homeassistant/status online");
        assertThat(z2m.next()).isEqualTo("zigbee2mqtt/lamp/set {\"state\":\"ON\"}");
        assertThat(z2m.next()).isEqualTo("zigbee2mqtt/lamp/set {\"state\":\"OFF\"}");
    }

    /**
     * Homebridge may read zigbee2mqtt/# only: its subscription to homeassistant/# is granted, yet Zigbee2MQTT's
     * discovery message never reaches it; the state published right after it (same publisher, so in order) does.
     */
    @Test
    void aSubscriptionOutsideTheAclIsGrantedButDeliversNothing() throws Exception {
        Inbox homebridge = subscribe("homebridge", "homeassistant/#", "zigbee2mqtt/#");
        Inbox bridge = subscribe("bridge", "homeassistant/#");
        Inbox exporter = subscribe("exporter", "zigbee2mqtt/#", "$SYS/broker/version");
        MqttClient zigbee2mqtt = connect("zigbee2mqtt");

        publish(zigbee2mqtt, "homeassistant/light/0x01/light/config", "{\"name\":\"lamp\"}");
        publish(zigbee2mqtt, "zigbee2mqtt/lamp", "{\"state\":\"ON\"}");

        assertThat(bridge.next()).as("an allowed reader got the discovery message")
                .isEqualTo("homeassistant/light/0x01/light/config {\"name\":\"lamp\"}");
        assertThat(homebridge.next()).as("homebridge's first message: the state, not the discovery before it")
                .isEqualTo("zigbee2mqtt/lamp {\"state\":\"ON\"}");
        assertThat(exporter.next()).as("the exporter reads $SYS only").startsWith("$SYS/broker/version mosquitto version");
        publish(zigbee2mqtt, "zigbee2mqtt/lamp", "{\"state\":\"OFF\"}");
        assertThat(homebridge.next()).isEqualTo("zigbee2mqtt/lamp {\"state\":\"OFF\"}");
        assertThat(exporter.nothingWithin(2)).as("the exporter got no Zigbee2MQTT message").isTrue();
    }

    /**
     * The bridge and the exporter only read: their publishes to zigbee2mqtt/lamp/set are acknowledged and dropped. The
     * command Home Assistant sends after them (each publish waited for, so the broker had the earlier ones first) is
     * the first Zigbee2MQTT gets.
     */
    @Test
    void aPublishOutsideTheAclIsDropped() throws Exception {
        Inbox z2m = subscribe("zigbee2mqtt", "zigbee2mqtt/#");
        Inbox ha = subscribe("homeassistant", "homeassistant/status");
        publish(connect("bridge"), "zigbee2mqtt/lamp/set", "from bridge");
        publish(connect("exporter"), "zigbee2mqtt/lamp/set", "from exporter");
        publish(connect("homebridge"), "homeassistant/status", "from homebridge");
        publish(connect("homeassistant"), "zigbee2mqtt/lamp/set", "from homeassistant");
        publish(z2m.client(), "homeassistant/status", "from zigbee2mqtt");

        assertThat(z2m.next()).isEqualTo("zigbee2mqtt/lamp/set from homeassistant");
        assertThat(ha.next()).as("homebridge's publish to homeassistant/status was dropped")
                .isEqualTo("homeassistant/status from zigbee2mqtt");
    }

    /** persistence true on /mosquitto/data: Zigbee2MQTT's retained state is there for Home Assistant after a restart. */
    @Test
    void aRetainedMessageSurvivesABrokerRestart() throws Exception {
        MqttClient zigbee2mqtt = connect("zigbee2mqtt");
        zigbee2mqtt.publish("zigbee2mqtt/bridge/state", "online".getBytes(StandardCharsets.UTF_8), 1, true);
        zigbee2mqtt.disconnect();

        broker.restart();

        assertThat(subscribe("homeassistant", "zigbee2mqtt/bridge/state").next())
                .as("the retained message after the restart (log %s)", broker.log())
                .isEqualTo("zigbee2mqtt/bridge/state online");
    }

    /**
     * Bad input: the Secret mosquitto-passwords without homebridge's line (as if the password file had been resealed
     * without it). The broker refuses homebridge like any unknown user (CONNACK 5), and the login's failure names the
     * user, its Secret and the password file's.
     */
    @Test
    void aClientMissingFromThePasswordFileIsRefusedAndNamed() throws Exception {
        broker.close();
        String withoutHomebridge = passwordFile.lines().filter(l -> !l.startsWith("homebridge:"))
                .collect(Collectors.joining("\n", "", "\n"));
        broker = BundleMosquitto.start(withoutHomebridge, dir.resolve("mosquitto-without-homebridge"));

        assertRefused("homebridge", logins.get("homebridge"), "homebridge, missing from the password file");
        assertThatThrownBy(() -> BundleMosquitto.login(broker, "homebridge", logins.get("homebridge"), withoutHomebridge))
                .hasMessageStartingWith("MQTT user homebridge refused by the broker (CONNACK 5")
                .hasMessageContaining("MQTT user homebridge (Secret mqtt-homebridge,"
                        + " apps/home-automation/manifests/k3d/sealedsecret-mqtt-homebridge.yaml) is missing from the"
                        + " password file: key passwd of Secret mosquitto-passwords"
                        + " (apps/home-automation/manifests/k3d/sealedsecret-mosquitto-passwords.yaml)");
        assertThat(connect("zigbee2mqtt").isConnected()).as("the other users still log in").isTrue();
    }

    private void assertRefused(String user, String password, String what) {
        assertThatThrownBy(() -> clients.add(BundleMosquitto.connect(broker, user, password))).as(what)
                .isInstanceOfSatisfying(MqttSecurityException.class, e -> assertThat(e.getReasonCode())
                        .as("%s: CONNACK return code 5, not authorized (broker log %s)", what, broker.log())
                        .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
    }

    private MqttClient connect(String user) {
        MqttClient client = BundleMosquitto.login(broker, user, logins.get(user), passwordFile);
        clients.add(client);
        return client;
    }

    private Inbox subscribe(String user, String... filters) throws MqttException {
        Inbox inbox = new Inbox(connect(user), new LinkedBlockingQueue<>());
        for (String filter : filters) {
            inbox.client().subscribe(filter, 1, inbox);
        }
        return inbox;
    }

    /** QoS 1, waited for: the broker has handled it (delivered or dropped) when this returns. */
    private static void publish(MqttClient client, String topic, String payload) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    /** What a client received, "topic payload", in order. */
    private record Inbox(MqttClient client, LinkedBlockingQueue<String> received) implements IMqttMessageListener {

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        String next() throws InterruptedException {
            String message = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(message).as("a message for %s within %d s", client.getClientId(), WAIT_SECONDS).isNotNull();
            return message;
        }

        boolean nothingWithin(long seconds) throws InterruptedException {
            return received.poll(seconds, TimeUnit.SECONDS) == null;
        }
    }
}
