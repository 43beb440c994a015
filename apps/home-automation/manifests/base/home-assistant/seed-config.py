"""Prepares Home Assistant's config directory before HA starts: the init container of deployment.yaml runs it, and
HomeAssistantIT runs this same file, taken from the render.

Usage: seed-config.py CONFIG_DIR, with MQTT_BROKER, MQTT_PORT, MQTT_USERNAME and MQTT_PASSWORD in the environment.

- automations.yaml, scripts.yaml, scenes.yaml (included by configuration.yaml, written by HA's UI editors): created
  empty when absent, never changed.
- The MQTT broker: recent HA keeps it in a config entry (.storage/core.config_entries), not in configuration.yaml.
  No entries file (the first start): one is written with the MQTT entry, in the storage format of version 1.1 that
  every later HA migrates on load, so the file does not depend on the running HA's own format. An entries file with an
  MQTT entry: its broker, port, username and password are set to the environment's, so the Secret stays the one
  source of the credentials. An entries file without one (removed in the UI): left alone.
"""
import json
import os
import pathlib
import sys
import uuid

ENTRIES = pathlib.Path(".storage", "core.config_entries")
INCLUDED = {"automations.yaml": "[]\n", "scripts.yaml": "{}\n", "scenes.yaml": "[]\n"}


def broker_from_environment():
    names = {"broker": "MQTT_BROKER", "port": "MQTT_PORT", "username": "MQTT_USERNAME", "password": "MQTT_PASSWORD"}
    missing = [n for n in names.values() if not os.environ.get(n)]
    if missing:
        sys.exit(f"seed-config.py: {', '.join(missing)} not set (deployment.yaml, init container seed-config)")
    broker = {key: os.environ[name] for key, name in names.items()}
    broker["port"] = int(broker["port"])
    return broker


def mqtt_entry(broker):
    # Entry version 1.2 (credentials in data, discovery in options) is what HA's MQTT flow writes; HA migrates it on.
    return {
        "entry_id": uuid.uuid4().hex,
        "domain": "mqtt",
        "title": broker["broker"],
        "source": "user",
        "version": 1,
        "minor_version": 2,
        "data": broker,
        "options": {"discovery": True, "discovery_prefix": "homeassistant"},
    }


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".seed")
    partial.write_text(content)
    partial.chmod(0o600)
    os.replace(partial, path)  # atomic: HA never reads half a file


def main(config_dir):
    config = pathlib.Path(config_dir)
    broker = broker_from_environment()
    for name, empty in INCLUDED.items():
        if not (config / name).exists():
            write(config / name, empty)
    entries = config / ENTRIES
    if not entries.exists():
        store = {"version": 1, "minor_version": 1, "key": "core.config_entries",
                 "data": {"entries": [mqtt_entry(broker)]}}
        write(entries, json.dumps(store, indent=2))
        print(f"seed-config.py: {entries}: MQTT entry for {broker['broker']}:{broker['port']} created")
        return
    store = json.loads(entries.read_text())
    mqtt = [e for e in store["data"]["entries"] if e["domain"] == "mqtt"]
    if not mqtt:
        print(f"seed-config.py: {entries} has no MQTT entry (removed in the UI): left alone")
        return
    for entry in mqtt:
        entry["data"].update(broker)
    write(entries, json.dumps(store, indent=2))
    print(f"seed-config.py: {entries}: MQTT entry set to {broker['broker']}:{broker['port']}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: seed-config.py CONFIG_DIR")
    main(sys.argv[1])
