package io.homestack.zigbee.simulator;

/** A simulated Zigbee device, as the devices file describes it. */
public record Device(String ieeeAddress, String friendlyName, DeviceKind kind, String vendor, String model,
                     String description) {
}
