package io.homestack.zigbee.simulator;

import io.homestack.bundle.test.engine.Mosquitto;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The MQTT side of Home Assistant in these tests: user {@code homeassistant}, subscribed to Zigbee2MQTT's and the
 * discovery topics, recording every message; commands go to {@code zigbee2mqtt/<device>/set}.
 */
final class HomeAssistantClient implements AutoCloseable {

    /** One message as received. */
    record Message(String topic, String payload, boolean retained) {
    }

    private final MqttClient client;
    private final List<Message> received = new ArrayList<>();

    HomeAssistantClient(Mosquitto.Broker broker) throws MqttException {
        client = new MqttClient(broker.uri().toString(), "homeassistant-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("homeassistant");
        options.setPassword(ContractBroker.password("homeassistant").toCharArray());
        client.connect(options);
        client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                synchronized (received) {
                    received.add(new Message(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                            message.isRetained()));
                    received.notifyAll();
                }
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        // After the callback: the broker sends the retained messages right away.
        client.subscribe(new String[] {"zigbee2mqtt/#", "homeassistant/#"}, new int[] {1, 1});
    }

    void publish(String topic, String payload) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    /** The first message on {@code topic} (received from now or before) whose payload matches, waiting for it. */
    Message await(String topic, Predicate<String> payload, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                for (Message m : received) {
                    if (m.topic().equals(topic) && payload.test(m.payload())) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching message on " + topic + " within " + timeout + "; got: "
                            + received.stream().filter(m -> m.topic().equals(topic)).map(Message::payload).toList());
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Every message received so far on {@code topic}. */
    List<Message> on(String topic) {
        synchronized (received) {
            return received.stream().filter(m -> m.topic().equals(topic)).toList();
        }
    }

    /** Forgets what was received, so that the next await sees only new messages. */
    void clear() {
        synchronized (received) {
            received.clear();
        }
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
