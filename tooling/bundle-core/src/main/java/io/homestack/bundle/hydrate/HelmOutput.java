package io.homestack.bundle.hydrate;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.util.ArrayList;
import java.util.List;

/** Parses {@code helm template} output: documents separated by {@code ---}, each after a {@code # Source:} line. */
final class HelmOutput {

    private static final String SOURCE = "# Source: ";

    private HelmOutput() {
    }

    /** @param prefix put before each document's source (its template path) */
    static List<KubeObject> objects(String output, String prefix) {
        List<KubeObject> objects = new ArrayList<>();
        StringBuilder document = new StringBuilder();
        String source = null;
        for (String line : (output == null ? "" : output).split("\n", -1)) {
            if (line.matches("---\\s*")) {
                add(objects, document, prefix, source);
                source = null;
            } else {
                if (source == null && line.startsWith(SOURCE)) {
                    source = line.substring(SOURCE.length()).strip();
                }
                document.append(line).append('\n');
            }
        }
        add(objects, document, prefix, source);
        return objects;
    }

    private static void add(List<KubeObject> objects, StringBuilder document, String prefix, String source) {
        String where = prefix + (source == null ? "(helm output)" : source);
        if (!document.toString().isBlank()) {
            Yaml.readAll(document.toString(), where).forEach(body -> objects.add(new KubeObject(body, where)));
        }
        document.setLength(0);
    }
}
