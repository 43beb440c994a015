package io.homestack.bundle.render;

import io.homestack.bundle.k8s.KubeObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * File names for one object per file: {@code <kind>-<name>.yaml}, with the namespace added when two objects would
 * share a name, and a counter for the same object twice (validation reports that duplicate).
 */
public final class ObjectFiles {

    private ObjectFiles() {
    }

    /** The file name of each object, in the order given. */
    public static List<String> names(List<KubeObject> objects) {
        Set<String> plain = new HashSet<>();
        Set<String> clashing = new HashSet<>();
        for (KubeObject o : objects) {
            if (!plain.add(plainName(o))) {
                clashing.add(plainName(o));
            }
        }
        Set<String> written = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (KubeObject o : objects) {
            String file = clashing.contains(plainName(o))
                    ? lower(o.kind()) + "-" + (o.namespace() == null ? "cluster" : o.namespace()) + "-" + o.name()
                    : plainName(o);
            String unique = file;
            for (int i = 2; !written.add(unique); i++) {
                unique = file + "-" + i;
            }
            names.add(unique + ".yaml");
        }
        return names;
    }

    private static String plainName(KubeObject o) {
        return lower(o.kind()) + "-" + (o.name() == null ? "unnamed" : o.name());
    }

    private static String lower(String kind) {
        return kind == null ? "object" : kind.toLowerCase(Locale.ROOT);
    }
}
