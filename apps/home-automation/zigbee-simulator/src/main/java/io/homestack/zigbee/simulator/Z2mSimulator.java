package io.homestack.zigbee.simulator;

import com.fasterxml.jackson.core.type.TypeReference;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Zigbee2MQTT's side of MQTT for the simulated devices. On every (re)connect: {@code bridge/state} online (retained;
 * the last will says offline), {@code bridge/devices} (retained), Home Assistant discovery (retained) and each
 * device's state; then {@code <base>/<friendly_name>/set} is applied and the new state published. Home Assistant's
 * "online" on {@code homeassistant/status} republishes discovery. Sensors report every {@code sensorInterval}; buttons
 * press their next action every {@code buttonInterval} (if set) and on a {@code {"action":...}} sent to their /set.
 * Paho's callbacks only hand work to one thread, which does all publishing, so a callback never waits on the broker.
 */
public final class Z2mSimulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Z2mSimulator.class.getName());
    private static final int QOS = 1;

    private final Settings settings;
    private final DevicesFile network;
    private final SimulatorMetrics metrics;
    private final Topics topics;
    private final Map<String, Device> byName = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> states = new ConcurrentHashMap<>();
    /** Device triggers announced in this run ("name/action"); only the worker thread publishes, so no lock. */
    private final Set<String> announcedTriggers = new HashSet<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "z2m-simulator");
        t.setDaemon(true);
        return t;
    });
    private MqttClient client;
    private long tick;
    private long presses;

    public Z2mSimulator(Settings settings, DevicesFile network, SimulatorMetrics metrics) {
        this.settings = settings;
        this.network = network;
        this.metrics = metrics;
        this.topics = settings.topics();
        for (Device device : network.devices()) {
            byName.put(device.friendlyName(), device);
            states.put(device.friendlyName(), device.kind().initialState());
            metrics.state(device.friendlyName(), states.get(device.friendlyName()));
        }
        metrics.devices(network.devices().size());
    }

    /** Connects (retrying until the broker accepts) and keeps reconnecting after that. */
    public void start() throws InterruptedException {
        try {
            client = new MqttClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("MQTT_URL=" + settings.brokerUrl() + ": " + e.getMessage(), e);
        }
        client.setCallback(new Callback());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        options.setConnectionTimeout(10);
        options.setWill(topics.bridgeState(), Z2mPayloads.bridgeState(false).getBytes(StandardCharsets.UTF_8), QOS, true);
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().toCharArray());
        }
        for (long delay = 1; ; delay = Math.min(delay * 2, 30)) {
            try {
                client.connect(options);
                break;
            } catch (MqttException e) {
                LOG.warning("cannot connect to " + settings.brokerUrl() + " as " + settings.username() + ": " + e
                        + "; retrying in " + delay + " s");
                TimeUnit.SECONDS.sleep(delay);
            }
        }
        worker.scheduleAtFixedRate(this::reportSensors, settings.sensorIntervalSeconds(),
                settings.sensorIntervalSeconds(), TimeUnit.SECONDS);
        if (settings.buttonIntervalSeconds() > 0) {
            worker.scheduleAtFixedRate(this::pressButtons, settings.buttonIntervalSeconds(),
                    settings.buttonIntervalSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The current state of a device (a copy), for tests and metrics. */
    public Map<String, Object> state(String friendlyName) {
        return Map.copyOf(states.get(friendlyName));
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            LOG.info((reconnect ? "reconnected to " : "connected to ") + serverUri);
            metrics.connected(true);
            worker.execute(Z2mSimulator.this::announce);
        }

        @Override
        public void connectionLost(Throwable cause) {
            LOG.warning("connection lost: " + cause);
            metrics.connected(false);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
            worker.execute(() -> handle(topic, payload));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // QoS 1 publishes are confirmed through the synchronous client's own waiting.
        }
    }

    private void announce() {
        try {
            client.subscribe(new String[] {topics.allSets(), topics.homeAssistantStatus()}, new int[] {QOS, QOS});
            publish(topics.bridgeState(), Z2mPayloads.bridgeState(true), true, "bridge");
            publish(topics.bridgeDevices(), Z2mPayloads.bridgeDevices(network), true, "bridge");
            publishDiscovery();
            for (Device device : network.devices()) {
                publishState(device);
            }
        } catch (MqttException e) {
            LOG.warning("announcing the bridge failed (retried on the next reconnect): " + e);
        }
    }

    private void publishDiscovery() throws MqttException {
        for (Device device : network.devices()) {
            for (HomeAssistantDiscovery.Config config : HomeAssistantDiscovery.configs(device, network, topics)) {
                publish(config.topic(), config.payload(), true, "discovery");
            }
        }
    }

    private void handle(String topic, String payload) {
        try {
            if (topic.equals(topics.homeAssistantStatus())) {
                if ("online".equals(payload.strip())) {
                    publishDiscovery();
                }
                return;
            }
            String name = topics.setTarget(topic);
            Device device = name == null ? null : byName.get(name);
            if (device == null) {
                LOG.warning("no device for " + topic + " (known: " + byName.keySet() + ")");
                metrics.command(name == null ? topic : name, false);
                return;
            }
            Map<String, Object> next;
            try {
                Map<String, Object> command = command(payload);
                if (command.containsKey("action")) {
                    String action = DeviceState.press(device, command);
                    metrics.command(name, true);
                    publishAction(device, action);
                    return;
                }
                next = DeviceState.apply(device, states.get(name), command);
            } catch (IllegalArgumentException e) {
                LOG.warning(topic + " " + payload + ": " + e.getMessage());
                metrics.command(name, false);
                return;
            }
            states.put(name, next);
            metrics.command(name, true);
            publishState(device);
        } catch (MqttException e) {
            LOG.warning("handling " + topic + " failed: " + e);
        }
    }

    /** Zigbee2MQTT accepts JSON objects and, as a shorthand for {"state": ...}, a bare ON/OFF/TOGGLE. */
    private static Map<String, Object> command(String payload) {
        String p = payload.strip();
        if (!p.startsWith("{")) {
            return Map.of("state", p);
        }
        try {
            return Z2mPayloads.JSON.readValue(p, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    private void reportSensors() {
        tick++;
        try {
            for (Device device : network.devices()) {
                if (device.kind() == DeviceKind.CLIMATE_SENSOR) {
                    states.put(device.friendlyName(), DeviceState.sensorReading(states.get(device.friendlyName()), tick));
                    publishState(device);
                }
            }
        } catch (MqttException e) {
            LOG.warning("sensor report failed: " + e);
        }
    }

    /** Every button presses its next action, in the order of its definition (single, double, ...). */
    private void pressButtons() {
        try {
            for (Device device : network.devices()) {
                List<String> actions = device.kind().actions();
                if (!actions.isEmpty()) {
                    publishAction(device, actions.get((int) (presses % actions.size())));
                }
            }
            presses++;
        } catch (MqttException e) {
            LOG.warning("button press failed: " + e);
        }
    }

    /**
     * One press, as Zigbee2MQTT 2.x with its Home Assistant integration sends it: the action with the device's state,
     * once (the action is not kept in the state); the device trigger's discovery the first time this action is seen;
     * then the plain value on {@code <name>/action}, which the trigger (and an automation's MQTT trigger) fires on.
     */
    private void publishAction(Device device, String action) throws MqttException {
        if (client == null || !client.isConnected()) {
            return;
        }
        publish(topics.device(device.friendlyName()), Z2mPayloads.action(action, states.get(device.friendlyName())),
                false, "device");
        String trigger = device.friendlyName() + "/" + action;
        if (!announcedTriggers.contains(trigger)) {
            HomeAssistantDiscovery.Config config = HomeAssistantDiscovery.deviceTrigger(device, network, topics, action);
            publish(config.topic(), config.payload(), true, "discovery");
            announcedTriggers.add(trigger); // only once published: a failed one is announced at the next press
        }
        publish(topics.action(device.friendlyName()), action, false, "device");
        metrics.action(device.friendlyName(), action);
    }

    private void publishState(Device device) throws MqttException {
        Map<String, Object> state = states.get(device.friendlyName());
        metrics.state(device.friendlyName(), state);
        publish(topics.device(device.friendlyName()), Z2mPayloads.deviceState(state), false, "device");
    }

    private void publish(String topic, String payload, boolean retained, String kind) throws MqttException {
        if (client == null || !client.isConnected()) {
            return; // announced again on reconnect
        }
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), QOS, retained);
        metrics.published(kind);
    }

    /** Says offline (retained, as Zigbee2MQTT does on a clean stop), then disconnects. */
    @Override
    public void close() {
        worker.shutdownNow();
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.publish(topics.bridgeState(), Z2mPayloads.bridgeState(false).getBytes(StandardCharsets.UTF_8), QOS, true);
                client.disconnect(5_000);
            }
            client.close();
        } catch (MqttException e) {
            LOG.warning("disconnecting: " + e);
        }
        metrics.connected(false);
    }
}
