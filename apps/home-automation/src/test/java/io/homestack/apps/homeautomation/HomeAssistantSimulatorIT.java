package io.homestack.apps.homeautomation;

import io.homestack.bundle.test.BundleRenders;
import io.homestack.bundle.test.engine.EngineProcess;
import io.homestack.bundle.test.engine.HomeAssistant;
import io.homestack.bundle.test.engine.Mosquitto;
import io.homestack.zigbee.simulator.DevicesFile;
import io.homestack.zigbee.simulator.Settings;
import io.homestack.zigbee.simulator.SimulatorMetrics;
import io.homestack.zigbee.simulator.Topics;
import io.homestack.zigbee.simulator.Z2mSimulator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3d stack's home automation, all real but the radio: the Zigbee2MQTT simulator (in-process, the k3d devices
 * file as the ConfigMap has it, the zigbee2mqtt login from its SealedSecret), the bundle's Mosquitto and a real Home
 * Assistant on the bundle's rendered, seeded configuration. The simulated devices become HA entities; HA's commands
 * reach them and come back as state; a press of the simulated button runs both kinds of automation a user makes: one
 * written in YAML on the plain {@code <name>/action} topic, and one made in HA's UI on the device trigger the
 * simulator announced (HA's device registry id, type and subtype, as the UI stores it); /api/prometheus counts the runs.
 */
class HomeAssistantSimulatorIT {

    private static final String ENV = "k3d";
    private static final Path DEVICES = Path.of("manifests/k3d/zigbee-simulator/devices.yaml");
    private static final String LIGHT = "light.living_room_light";
    private static final String PLUG = "switch.kitchen_plug";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) // a failed run keeps its logs
    Path dir;

    private final BundleRenders renders = BundleRenders.ofModule();
    private HomeAssistant ha;

    /** Skipped with the reason (failed in CI) when Home Assistant's venv or Debian's Mosquitto is missing. */
    @BeforeEach
    void engines() {
        Mosquitto.locate();
        ha = HomeAssistant.locate();
    }

    @Test
    void theSimulatedDevicesAreHaEntitiesAndTheButtonRunsYamlAndUiAutomations() throws Exception {
        try (Mosquitto.Broker broker = BundleMosquitto.start(dir.resolve("broker"))) {
            HomeAssistantSeed.Seeded seeded = HomeAssistantSeed.seeded(renders, ENV, ha, broker, dir);
            Path config = seeded.config();
            try (EngineProcess hass = ha.start(config, seeded.port(), dir.resolve("home-assistant.log"));
                 Z2mSimulator simulator = simulator(broker)) {
                HomeAssistantApi api = HomeAssistantApi.onboard(seeded.port());
                simulator.start();

                // Discovery made the entities (the button's states went by before HA subscribed: it has none until
                // a press); the climate sensor reports every second. HA's command goes to the simulator's /set and
                // comes back as the light's state.
                api.await("sensor.hallway_button_battery", s -> true, "discovered");
                api.await("sensor.bedroom_climate_temperature", s -> s.get("state").toString().matches("[0-9.]+"),
                        "a temperature");
                api.callService("light", "turn_on", "{\"entity_id\":\"" + LIGHT + "\",\"brightness\":128}");
                api.awaitState(LIGHT, "on");
                assertThat(simulator.state("living_room_light")).containsEntry("state", "ON");

                // The automations a user makes: in YAML on <name>/action, and in HA's UI on the device trigger,
                // which names the device by its registry id (the trigger itself is announced at the first press).
                String button = api.deviceIdOf("sensor.hallway_button_battery");
                Files.writeString(config.resolve("automations.yaml"), """
                        - id: hallway_button_single
                          alias: Hallway button turns the light off
                          triggers:
                            - trigger: mqtt
                              topic: zigbee2mqtt/hallway_button/action
                              payload: single
                          actions:
                            - action: light.turn_off
                              target:
                                entity_id: %s
                        - id: hallway_button_double
                          alias: Hallway button double press turns the plug on
                          triggers:
                            - trigger: device
                              domain: mqtt
                              device_id: %s
                              type: action
                              subtype: double
                          actions:
                            - action: switch.turn_on
                              target:
                                entity_id: %s
                        """.formatted(LIGHT, button, PLUG));
                api.callService("automation", "reload", "{}");
                api.awaitState("automation.hallway_button_double_press_turns_the_plug_on", "on");

                // HA presses the button through the simulator's /set (its login may publish under zigbee2mqtt/). HA
                // subscribes to a reloaded automation's topic a moment later, and the first double press only
                // announces the trigger, so a press may go by unseen: press until it works, as a person would (the
                // actions are idempotent, so a second press that is seen changes nothing).
                api.reportUntil(() -> press(api, "single"), LIGHT, "off");
                assertThat(simulator.state("living_room_light")).containsEntry("state", "OFF");
                api.reportUntil(() -> press(api, "double"), PLUG, "on");
                assertThat(simulator.state("kitchen_plug")).containsEntry("state", "ON");

                PrometheusText metrics = PrometheusText.parse(api.metricsWithoutToken());
                assertThat(metrics.value("homeassistant_automation_triggered_count_total",
                        "automation.hallway_button_turns_the_light_off")).isGreaterThanOrEqualTo(1.0);
                assertThat(metrics.value("homeassistant_automation_triggered_count_total",
                        "automation.hallway_button_double_press_turns_the_plug_on")).isGreaterThanOrEqualTo(1.0);
                assertThat(metrics.value("homeassistant_switch_state", PLUG)).isEqualTo(1.0);
                assertThat(Files.readString(dir.resolve("home-assistant.log"))).as(hass.report())
                        .doesNotContain("when processing MQTT discovery message")
                        .doesNotContain("Setup failed for");
            }
        }
    }

    private static void press(HomeAssistantApi api, String action) throws Exception {
        api.callService("mqtt", "publish", "{\"topic\":\"zigbee2mqtt/hallway_button/set\",\"payload\":"
                + "\"{\\\"action\\\":\\\"" + action + "\\\"}\"}");
    }

    /** The simulator as manifests/k3d/zigbee-simulator runs it, sensors every second and no timed presses. */
    private static Z2mSimulator simulator(Mosquitto.Broker broker) {
        Settings settings = new Settings(broker.uri().toString(), "zigbee2mqtt",
                BundleMosquitto.secret("mqtt-zigbee2mqtt").stringValue("password"), "zigbee2mqtt-simulator-it", DEVICES,
                0, new Topics("zigbee2mqtt", "homeassistant"), 1, 0);
        return new Z2mSimulator(settings, DevicesFile.read(DEVICES), new SimulatorMetrics(new PrometheusRegistry()));
    }
}
