package io.homestack.eventbridge;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The MQTT side: logs in (read-only user), subscribes to {@code <base>/#} after every (re)connect, so the retained
 * bridge/devices and bridge/state arrive again, and hands each message to {@link Z2mEvents}. It never publishes.
 * Connecting is retried forever (1 s doubling to 30 s), and so is reconnecting (Paho's automatic reconnect, same cap).
 */
public final class EventBridge implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventBridge.class.getName());
    private static final int QOS = 1;
    static final int MAX_BACKOFF_SECONDS = 30;

    private final Settings settings;
    private final Z2mEvents events;
    private final BridgeMetrics metrics;
    private volatile MqttClient client;
    private volatile boolean closed;

    public EventBridge(Settings settings, Z2mEvents events, BridgeMetrics metrics) {
        this.settings = settings;
        this.events = events;
        this.metrics = metrics;
    }

    /** Returns once connected (retrying until the broker accepts, or until {@link #close()}). */
    public void start() throws InterruptedException {
        MqttClient c;
        try {
            c = new MqttClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("MQTT_URL=" + settings.brokerUrl() + ": " + e.getMessage(), e);
        }
        c.setCallback(new Callback());
        client = c;
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(MAX_BACKOFF_SECONDS * 1000);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        options.setUserName(settings.username());
        options.setPassword(settings.password().toCharArray());
        for (long delay = 1; !closed; delay = Math.min(delay * 2, MAX_BACKOFF_SECONDS)) {
            try {
                c.connect(options);
                return;
            } catch (MqttException e) {
                LOG.warning("cannot connect to " + settings.brokerUrl() + " as " + settings.username() + ": " + e
                        + "; retrying in " + delay + " s");
                TimeUnit.SECONDS.sleep(delay);
            }
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            LOG.info((reconnect ? "reconnected to " : "connected to ") + serverUri);
            metrics.connected(true);
            // Paho calls this on its own thread; subscribing from here must not wait for the SUBACK there.
            Thread subscriber = new Thread(() -> subscribe(), "subscribe");
            subscriber.setDaemon(true);
            subscriber.start();
        }

        @Override
        public void connectionLost(Throwable cause) {
            LOG.warning("connection lost: " + cause + "; reconnecting");
            metrics.connected(false);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                events.handle(topic, message.getPayload());
            } catch (RuntimeException e) {
                // A throw here would make Paho drop the connection; one bad message must not.
                LOG.warning("message on " + topic + " not handled: " + e);
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // never publishes
        }
    }

    private void subscribe() {
        String filter = settings.baseTopic() + "/#";
        try {
            client.subscribe(filter, QOS);
            LOG.info("subscribed to " + filter);
        } catch (MqttException e) {
            // Only when the connection went away again: the next connectComplete subscribes.
            LOG.warning("subscribing to " + filter + " failed: " + e);
        }
    }

    @Override
    public void close() {
        closed = true;
        MqttClient c = client;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(5_000);
            }
            c.close(true);
        } catch (MqttException e) {
            LOG.warning("disconnecting: " + e);
        }
        metrics.connected(false);
    }
}
