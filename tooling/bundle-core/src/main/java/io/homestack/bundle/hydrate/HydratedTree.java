package io.homestack.bundle.hydrate;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.render.ObjectFiles;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code <target>/<env>/<chart>/<kind>-<name>.yaml}: one object per file, sorted keys (stable diffs), named like the
 * bundle artifact's files ({@code <kind>-<namespace>-<name>.yaml} when two objects of a chart would share a name).
 * Built in a hidden sibling and renamed into place; a directory without our marker file is never replaced.
 */
final class HydratedTree {

    static final String MARKER = ".hydrated";

    private HydratedTree() {
    }

    static void write(HydratedBundle hydrated, Path target) {
        String name = hydrated.bundle().name();
        AtomicDirectory.replace(target, MARKER, "[" + name + "] hydrated tree", temp -> {
            Files.writeString(temp.resolve(MARKER), "bundle: " + name + "\nkubeVersion: " + hydrated.kubeVersion()
                    + "\n# written by homestack hydrate; replaced as a whole on every run\n");
            for (var env : hydrated.environments().entrySet()) {
                for (HydratedChart chart : env.getValue()) {
                    writeObjects(chart.objects(),
                            Files.createDirectories(temp.resolve(env.getKey()).resolve(chart.chart().name())));
                }
            }
            return null;
        });
    }

    private static void writeObjects(List<KubeObject> objects, Path dir) throws IOException {
        List<String> names = ObjectFiles.names(objects);
        for (int i = 0; i < objects.size(); i++) {
            KubeObject o = objects.get(i);
            Files.writeString(dir.resolve(names.get(i)), "# Source: " + o.source() + "\n" + Yaml.write(o.body()));
        }
    }
}
