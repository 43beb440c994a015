// The pinned zigbee2mqtt's own settings checks on $ZIGBEE2MQTT_DATA/configuration.yaml, in the order of its start
// (dist/util/onboarding.js): the file alone, then the ZIGBEE2MQTT_CONFIG_* variables written through, then everything.
// Prints {errors, currentVersion, settings} as JSON. Usage: node zigbee2mqtt-settings.js <zigbee2mqtt package dir>
const settings = require(process.argv[2] + "/dist/util/settings");

let errors = settings.validateNonRequired();
if (errors.length === 0) {
    settings.write();
    settings.reRead();
    errors = settings.validate();
}
process.stdout.write(JSON.stringify({errors, currentVersion: settings.CURRENT_VERSION, settings: settings.get()}));
