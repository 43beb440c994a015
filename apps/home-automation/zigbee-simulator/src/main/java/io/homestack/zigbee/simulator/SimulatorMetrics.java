package io.homestack.zigbee.simulator;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Map;

/**
 * The simulator's Prometheus metrics, all prefixed {@code zigbee_simulator_}: devices, broker connection, commands
 * per device and result, messages published per kind, button actions per device and action, and every numeric device
 * property (ON = 1, OFF = 0).
 */
public final class SimulatorMetrics {

    private final Gauge devices;
    private final Gauge connected;
    private final Counter commands;
    private final Counter published;
    private final Gauge deviceState;
    private final Counter actions;

    public SimulatorMetrics(PrometheusRegistry registry) {
        devices = Gauge.builder().name("zigbee_simulator_devices").help("Simulated Zigbee devices").register(registry);
        connected = Gauge.builder().name("zigbee_simulator_mqtt_connected")
                .help("1 while connected to the MQTT broker").register(registry);
        commands = Counter.builder().name("zigbee_simulator_commands_total")
                .help("/set commands received, by device and result (applied, rejected)")
                .labelNames("device", "result").register(registry);
        published = Counter.builder().name("zigbee_simulator_messages_published_total")
                .help("MQTT messages published, by kind (bridge, device, discovery)").labelNames("kind").register(registry);
        deviceState = Gauge.builder().name("zigbee_simulator_device_state")
                .help("Numeric device properties; state ON is 1, OFF 0").labelNames("device", "property").register(registry);
        actions = Counter.builder().name("zigbee_simulator_actions_total")
                .help("Button actions published, by device and action").labelNames("device", "action").register(registry);
    }

    public void devices(int count) {
        devices.set(count);
    }

    public void connected(boolean up) {
        connected.set(up ? 1 : 0);
    }

    public void command(String device, boolean applied) {
        commands.labelValues(device, applied ? "applied" : "rejected").inc();
    }

    public void action(String device, String action) {
        actions.labelValues(device, action).inc();
    }

    public void published(String kind) {
        published.labelValues(kind).inc();
    }

    public void state(String device, Map<String, Object> state) {
        state.forEach((property, value) -> {
            if (value instanceof Number n) {
                deviceState.labelValues(device, property).set(n.doubleValue());
            } else if ("ON".equals(value) || "OFF".equals(value)) {
                deviceState.labelValues(device, property).set("ON".equals(value) ? 1 : 0);
            }
        });
    }
}
