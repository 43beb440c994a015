package io.homestack.zigbee.simulator;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceStateTest {

    private static final Device LIGHT = new Device("0x0000000000000002", "lamp", DeviceKind.LIGHT, "v", "m", "d");
    private static final Device PLUG = new Device("0x0000000000000003", "plug", DeviceKind.SWITCH, "v", "m", "d");
    private static final Device SENSOR = new Device("0x0000000000000004", "climate", DeviceKind.CLIMATE_SENSOR, "v", "m", "d");
    private static final Device BUTTON = new Device("0x0000000000000005", "remote", DeviceKind.BUTTON, "v", "m", "d");

    @Test
    void aButtonIsPressedWithOneOfItsActionsOnly() {
        assertThat(DeviceState.press(BUTTON, Map.of("action", "hold"))).isEqualTo("hold");
        assertThatThrownBy(() -> DeviceState.press(BUTTON, Map.of("action", "spin")))
                .hasMessageContaining("one of [single, double, triple, quadruple, hold, release]");
        assertThatThrownBy(() -> DeviceState.press(BUTTON, Map.of("action", "single", "battery", 3)))
                .hasMessageContaining("'remote': press with");
        assertThatThrownBy(() -> DeviceState.press(PLUG, Map.of("action", "single")))
                .hasMessage("'plug' is a switch, it has no action to press");
        assertThatThrownBy(() -> DeviceState.apply(BUTTON, BUTTON.kind().initialState(), Map.of("battery", 3)))
                .hasMessageContaining("button sets nothing");
    }

    @Test
    void stateAndBrightnessAreApplied() {
        Map<String, Object> off = LIGHT.kind().initialState();
        assertThat(DeviceState.apply(LIGHT, off, Map.of("state", "ON", "brightness", 128)))
                .containsEntry("state", "ON").containsEntry("brightness", 128).containsEntry("linkquality", 120);
        assertThat(off).containsEntry("state", "OFF").as("the current state is left alone");
        assertThat(DeviceState.apply(PLUG, PLUG.kind().initialState(), Map.of("state", "on"))).containsEntry("state", "ON");
    }

    @Test
    void toggleFlipsAndBrightnessAloneSwitchesLikeZigbee2mqtt() {
        Map<String, Object> on = DeviceState.apply(PLUG, PLUG.kind().initialState(), Map.of("state", "TOGGLE"));
        assertThat(on).containsEntry("state", "ON");
        assertThat(DeviceState.apply(PLUG, on, Map.of("state", "TOGGLE"))).containsEntry("state", "OFF");
        Map<String, Object> dimmed = DeviceState.apply(LIGHT, LIGHT.kind().initialState(), Map.of("brightness", 10));
        assertThat(dimmed).containsEntry("state", "ON").containsEntry("brightness", 10);
        assertThat(DeviceState.apply(LIGHT, dimmed, Map.of("brightness", 0))).containsEntry("state", "OFF");
    }

    @Test
    void whatTheDeviceCannotDoIsRefusedWithTheReason() {
        assertThatThrownBy(() -> DeviceState.apply(PLUG, PLUG.kind().initialState(), Map.of("brightness", 3)))
                .hasMessage("No converter available for 'brightness' on 'plug' (switch sets [state])");
        assertThatThrownBy(() -> DeviceState.apply(SENSOR, SENSOR.kind().initialState(), Map.of("temperature", 3)))
                .hasMessageContaining("climate_sensor sets nothing");
        assertThatThrownBy(() -> DeviceState.apply(LIGHT, LIGHT.kind().initialState(), Map.of("state", "DIM")))
                .hasMessage("'lamp': state must be ON, OFF or TOGGLE, not 'DIM'");
        assertThatThrownBy(() -> DeviceState.apply(LIGHT, LIGHT.kind().initialState(), Map.of("brightness", 255)))
                .hasMessageContaining("brightness must be a whole number 0-254, not '255'");
        assertThatThrownBy(() -> DeviceState.apply(LIGHT, LIGHT.kind().initialState(), Map.of("brightness", 1.5)))
                .hasMessageContaining("not '1.5'");
        assertThatThrownBy(() -> DeviceState.apply(LIGHT, LIGHT.kind().initialState(), Map.of()))
                .hasMessageContaining("empty command");
    }

    @Test
    void sensorReadingsDriftDeterministically() {
        Map<String, Object> first = DeviceState.sensorReading(SENSOR.kind().initialState(), 5);
        assertThat(first).isEqualTo(DeviceState.sensorReading(SENSOR.kind().initialState(), 5))
                .containsEntry("temperature", 22.0).containsEntry("humidity", 43.6).containsEntry("battery", 100);
        assertThat(DeviceState.sensorReading(first, 6).get("temperature")).isNotEqualTo(first.get("temperature"));
    }
}
