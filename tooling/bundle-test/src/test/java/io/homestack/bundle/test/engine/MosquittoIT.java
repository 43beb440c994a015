package io.homestack.bundle.test.engine;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Debian's mosquitto started by the engine from a configuration with authentication, an ACL and persistence. */
class MosquittoIT {

    static final String CONFIG = """
            listener 1883
            allow_anonymous false
            password_file /mosquitto/passwords/passwd
            acl_file /mosquitto/config/acl
            persistence true
            persistence_location /mosquitto/data/
            log_dest stdout
            """;
    private static final String ACL = "user alice\ntopic readwrite home/#\n";

    @TempDir
    Path dir;

    private Mosquitto mosquitto;

    /** Per test, so that each one is counted as skipped (outside CI) when mosquitto is missing. */
    @BeforeEach
    void broker() {
        mosquitto = Mosquitto.locate();
    }

    @Test
    void aUserConnectsWithItsPasswordOthersAreRefusedAndRetainedMessagesSurviveARestart() throws Exception {
        String passwd = Mosquitto.passwordFile(Map.of("alice", "alice-pw"), dir.resolve("work"));
        assertThat(passwd).startsWith("alice:$7$").doesNotContain("alice-pw");
        try (Mosquitto.Broker broker = mosquitto.start(CONFIG, Map.of("/mosquitto/passwords/passwd", passwd,
                "/mosquitto/config/acl", ACL), dir.resolve("run"))) {
            assertThat(broker.uri().toString()).isEqualTo("tcp://127.0.0.1:" + broker.port());
            assertThatThrownBy(() -> connect(broker, "alice", "wrong")).isInstanceOf(MqttSecurityException.class);
            assertThatThrownBy(() -> connect(broker, null, null)).isInstanceOf(MqttSecurityException.class);

            MqttClient alice = connect(broker, "alice", "alice-pw");
            alice.publish("home/door", "open".getBytes(StandardCharsets.UTF_8), 1, true);
            alice.disconnect();
            alice.close();

            broker.restart();
            assertThat(broker.log()).hasFileName("mosquitto-2.log");
            MqttClient again = connect(broker, "alice", "alice-pw");
            BlockingQueue<String> received = new ArrayBlockingQueue<>(4);
            again.subscribe("home/#", 1, (topic, message) -> received.add(topic + "=" + message));
            assertThat(received.poll(10, TimeUnit.SECONDS)).as("the retained message, from persistence")
                    .isEqualTo("home/door=open");
            again.disconnect();
            again.close();
        }
    }

    @Test
    void aMissingPasswordFileFailsWithMosquittosMessageNamingIt() {
        assertThatThrownBy(() -> mosquitto.start(CONFIG, Map.of("/mosquitto/config/acl", ACL), dir.resolve("run")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("mosquitto did not start")
                .hasMessageContaining(dir.resolve("run/root/mosquitto/passwords/passwd").toString());
    }

    static MqttClient connect(Mosquitto.Broker broker, String user, String password) throws MqttException {
        MqttClient client = new MqttClient(broker.uri().toString(), "it-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close();
            throw e;
        }
        return client;
    }
}
