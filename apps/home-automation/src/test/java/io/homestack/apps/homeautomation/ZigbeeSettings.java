package io.homestack.apps.homeautomation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Zigbee2MQTT's settings as the pinned version reads them at start, validated against the settings schema its npm
 * package ships (draft 7, what its ajv uses): the configuration.yaml of the ConfigMap, then every
 * {@code ZIGBEE2MQTT_CONFIG_<PATH>} variable of the Deployment applied over it the way Zigbee2MQTT does (the schema
 * gives the path and the type), and {@code devices}/{@code groups} given as file names replaced by those files'
 * content (empty on the first start). A problem names where the value came from (the file, or the variable) and the
 * schema rule it breaks.
 *
 * @param settings the merged settings
 * @param origins  settings path ({@code serial.adapter}) to where its value came from, for the variables
 * @param file     what a value from configuration.yaml is reported as
 */
record ZigbeeSettings(Map<String, Object> settings, Map<String, String> origins, String file) {

    static final String PREFIX = "ZIGBEE2MQTT_CONFIG_";

    /**
     * @param configurationYaml the ConfigMap's configuration.yaml
     * @param env               the container's variables with their values (Secret references already resolved)
     * @param schema            the settings schema (for the variables' paths and types)
     */
    static ZigbeeSettings read(String configurationYaml, String file, Map<String, String> env, JsonNode schema) {
        Map<String, Object> settings = new LinkedHashMap<>(Yaml.readMap(configurationYaml, file));
        for (String files : List.of("devices", "groups")) {
            if (settings.get(files) instanceof String) {
                settings.put(files, new LinkedHashMap<>());
            }
        }
        Map<String, String> origins = new LinkedHashMap<>();
        applyEnvironment(schema.path("properties"), new ArrayList<>(), settings, env, origins);
        return new ZigbeeSettings(settings, origins, file);
    }

    /** Every violation, one line each: where the value came from, the settings path, the message and the rule. */
    List<String> violations(JsonNode schemaJson) {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schemaJson);
        Set<ValidationMessage> messages = schema.validate(new ObjectMapper().valueToTree(settings));
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : messages) {
            String path = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
            String origin = origins.entrySet().stream().filter(e -> path.equals(e.getKey())
                            || path.startsWith(e.getKey() + ".") || path.startsWith(e.getKey() + "["))
                    .map(Map.Entry::getValue).findFirst().orElse(file);
            out.add(origin + ": " + m.getMessage() + " (rule: " + m.getType() + " at "
                    + m.getSchemaLocation() + " of Zigbee2MQTT's settings schema)");
        }
        return out.stream().sorted().toList();
    }

    static JsonNode readSchema(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Zigbee2MQTT's rule (util/settings, applyEnvironmentVariables): for each key of the schema's properties, nested
     * through objects, the variable is PREFIX + the path joined by '_', upper case; its text is parsed by the
     * schema's type: JSON for objects and arrays (the raw text if that fails), a number, true/false, or the text.
     */
    private static void applyEnvironment(JsonNode properties, List<String> path, Map<String, Object> settings,
                                         Map<String, String> env, Map<String, String> origins) {
        properties.fields().forEachRemaining(field -> {
            String key = field.getKey();
            JsonNode property = field.getValue();
            List<String> here = new ArrayList<>(path);
            here.add(key);
            String variable = PREFIX + String.join("_", here).toUpperCase(java.util.Locale.ROOT);
            String value = env.get(variable);
            if (value != null && !value.isEmpty()) {
                String type = property.has("type") ? property.get("type").toString() : "object";
                Map<String, Object> parent = parent(settings, path);
                parent.put(key, parse(value, type));
                origins.put(String.join(".", here), "env " + variable);
            }
            if (property.has("properties")) {
                applyEnvironment(property.get("properties"), here, settings, env, origins);
            }
        });
    }

    private static Object parse(String value, String type) {
        if (type.contains("object") || type.contains("array")) {
            try {
                return new ObjectMapper().readValue(value, Object.class);
            } catch (IOException e) {
                return value;
            }
        }
        if (type.contains("number")) {
            try {
                return Double.valueOf(value);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        if (type.contains("boolean")) {
            return "true".equalsIgnoreCase(value);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parent(Map<String, Object> settings, List<String> path) {
        Map<String, Object> current = settings;
        for (String key : path) {
            Object next = current.get(key);
            if (!(next instanceof Map<?, ?>)) {
                next = new LinkedHashMap<String, Object>();
                current.put(key, next);
            }
            current = (Map<String, Object>) next;
        }
        return current;
    }

    /** The container's variables: plain values, and Secret references resolved through {@code secrets}. */
    static Map<String, String> environment(Map<String, Object> container, Map<String, String> secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object item : KubeObject.list(container.get("env"))) {
            Map<String, Object> e = KubeObject.map(item);
            String name = KubeObject.string(e.get("name"));
            if (e.containsKey("value")) {
                env.put(name, KubeObject.string(e.get("value")));
                continue;
            }
            Map<String, Object> ref = KubeObject.path(e, "valueFrom", "secretKeyRef");
            String secretKey = KubeObject.string(ref.get("name")) + "/" + KubeObject.string(ref.get("key"));
            if (!secrets.containsKey(secretKey)) {
                throw new AssertionError("no stand-in value for Secret " + secretKey + " (variable " + name + ")");
            }
            env.put(name, secrets.get(secretKey));
        }
        return env;
    }
}
