package io.homestack.eventbridge;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The bridge's metrics. Device series carry only label values from the current device list: they are created (the
 * counters at 0, so increase() sees the first action) when a device appears in bridge/devices and removed when it
 * leaves it, so the number of series is bounded by the list, whatever is published.
 */
public final class BridgeMetrics {

    private final Counter actions;
    private final Counter ignored;
    private final Gauge lastSeen;
    private final Gauge linkQuality;
    private final Gauge info;
    private final Gauge devices;
    private final Gauge bridgeOnline;
    private final Gauge connected;

    public BridgeMetrics(PrometheusRegistry registry) {
        actions = Counter.builder().name("zigbee_device_actions_total")
                .help("Zigbee2MQTT device actions (button presses...), by device and action; only actions the device's"
                        + " definition declares").labelNames("device", "action").register(registry);
        ignored = Counter.builder().name("event_bridge_messages_ignored_total")
                .help("MQTT messages that changed no device series, by reason").labelNames("reason").register(registry);
        lastSeen = Gauge.builder().name("zigbee_device_last_seen_timestamp_seconds")
                .help("When the device last sent a message (its last_seen, else the time the bridge received it)")
                .labelNames("device").register(registry);
        linkQuality = Gauge.builder().name("zigbee_device_link_quality")
                .help("The device's last reported linkquality (LQI, 0-255)").labelNames("device").register(registry);
        info = Gauge.builder().name("zigbee_device_info")
                .help("1 for every device in Zigbee2MQTT's bridge/devices, with its IEEE address, model and vendor")
                .labelNames("device", "ieee_address", "model", "vendor").register(registry);
        devices = Gauge.builder().name("event_bridge_devices")
                .help("Devices in the last valid bridge/devices list").register(registry);
        bridgeOnline = Gauge.builder().name("zigbee_bridge_online")
                .help("1 while Zigbee2MQTT's bridge/state says online").register(registry);
        connected = Gauge.builder().name("event_bridge_mqtt_connected")
                .help("1 while the bridge is connected to the MQTT broker").register(registry);
        for (Ignored reason : Ignored.values()) {
            ignored.labelValues(reason.label());
        }
        bridgeOnline.set(0);
        connected.set(0);
        devices.set(0);
    }

    /** Replaces the device series of {@code before} by those of {@code after}; counts of kept devices stay. */
    public void catalog(DeviceCatalog before, DeviceCatalog after) {
        before.devices().values().forEach(old -> {
            DeviceCatalog.Device now = after.device(old.friendlyName());
            if (now == null || !now.equals(old)) {
                info.remove(old.friendlyName(), old.ieeeAddress(), old.model(), old.vendor());
            }
            if (now == null) {
                lastSeen.remove(old.friendlyName());
                linkQuality.remove(old.friendlyName());
            }
            old.actions().forEach(action -> {
                if (now == null || !now.actions().contains(action)) {
                    actions.remove(old.friendlyName(), action);
                }
            });
        });
        after.devices().values().forEach(device -> {
            info.labelValues(device.friendlyName(), device.ieeeAddress(), device.model(), device.vendor()).set(1);
            device.actions().forEach(action -> actions.labelValues(device.friendlyName(), action));
        });
        devices.set(after.devices().size());
    }

    public void action(String device, String action) {
        actions.labelValues(device, action).inc();
    }

    public void ignored(Ignored reason) {
        ignored.labelValues(reason.label()).inc();
    }

    public void seen(String device, double epochSeconds) {
        lastSeen.labelValues(device).set(epochSeconds);
    }

    public void linkQuality(String device, double lqi) {
        linkQuality.labelValues(device).set(lqi);
    }

    public void bridgeOnline(boolean online) {
        bridgeOnline.set(online ? 1 : 0);
    }

    public void connected(boolean up) {
        connected.set(up ? 1 : 0);
    }
}
