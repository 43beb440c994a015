package io.homestack.eventbridge;

import io.homestack.bundle.test.engine.Mosquitto;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;

/**
 * Zigbee2MQTT's side of MQTT, as far as these tests need it: user zigbee2mqtt, last will {@code bridge/state}
 * offline (retained), and publishes at QoS 1 in order.
 */
final class Z2mPublisher implements AutoCloseable {

    private final MqttClient client;

    Z2mPublisher(Mosquitto.Broker broker) throws MqttException {
        client = new MqttClient(broker.uri().toString(), "zigbee2mqtt-it-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("zigbee2mqtt");
        options.setPassword(BundleBroker.password("zigbee2mqtt").toCharArray());
        options.setWill("zigbee2mqtt/bridge/state", "{\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8), 1, true);
        client.connect(options);
    }

    void publish(String topic, String payload, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained);
    }

    void publish(String topic, String payload) throws MqttException {
        publish(topic, payload, false);
    }

    /** Drops the TCP connection without DISCONNECT, as a crash does: the broker publishes the last will. */
    void crash() throws MqttException {
        client.disconnectForcibly(0, 0, false);
        client.close(true);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close(true);
    }
}
