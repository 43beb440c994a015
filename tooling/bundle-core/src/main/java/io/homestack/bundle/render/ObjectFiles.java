package io.homestack.bundle.render;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * File names for one object per file: {@code <kind>-<name>.yaml}, with the namespace added when two objects would
 * share a name, and a counter for the same object twice (validation reports that duplicate).
 *
 * <p>Kind, name and namespace become part of a path, so each must be a safe file name part: a kind is letters and
 * digits (as every Kubernetes kind), a name or namespace letters, digits, {@code . - _ :} (RBAC names use ':') and
 * never {@code ..}. Anything else (a '/', a '..', a control character) is an error, never a file elsewhere.
 */
public final class ObjectFiles {

    private static final Pattern KIND = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,62}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9._:]{0,252}");

    private ObjectFiles() {
    }

    /** The file name of each object, in the order given. */
    public static List<String> names(List<KubeObject> objects) {
        objects.forEach(ObjectFiles::checkSafe);
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

    /** Why a kind, name or namespace cannot be part of a file name, or null when it can (null values can). */
    public static String problem(KubeObject object) {
        if (object.kind() != null && !KIND.matcher(object.kind()).matches()) {
            return "kind '" + printable(object.kind()) + "' is not a Kubernetes kind (letters and digits)";
        }
        for (String[] field : new String[][] {{"metadata.name", object.name()}, {"metadata.namespace", object.namespace()}}) {
            String value = field[1];
            if (value != null && (!NAME.matcher(value).matches() || value.contains(".."))) {
                return field[0] + " '" + printable(value) + "' is not a valid object name (letters, digits, '-', '.',"
                        + " ':', no '..', at most 253 characters)";
            }
        }
        return null;
    }

    private static void checkSafe(KubeObject object) {
        String problem = problem(object);
        if (problem != null) {
            throw new BundleException(object.source() + ": " + problem + "; it would name the object's file");
        }
    }

    /** Shown in messages: at most 80 characters, control characters escaped. */
    private static String printable(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        StringBuilder out = new StringBuilder();
        shown.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))));
        return out.toString();
    }

    private static String plainName(KubeObject o) {
        return lower(o.kind()) + "-" + (o.name() == null ? "unnamed" : o.name());
    }

    private static String lower(String kind) {
        return kind == null ? "object" : kind.toLowerCase(Locale.ROOT);
    }
}
