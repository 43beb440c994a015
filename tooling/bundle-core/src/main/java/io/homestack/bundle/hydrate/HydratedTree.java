package io.homestack.bundle.hydrate;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

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
        Path dir = target.toAbsolutePath().normalize();
        String name = hydrated.bundle().name();
        Path temp = null;
        try {
            Files.createDirectories(dir.getParent());
            checkReplaceable(dir, name);
            temp = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + ".tmp-");
            Files.writeString(temp.resolve(MARKER), "bundle: " + name + "\nkubeVersion: " + hydrated.kubeVersion()
                    + "\n# written by homestack hydrate; replaced as a whole on every run\n");
            for (var env : hydrated.environments().entrySet()) {
                for (HydratedChart chart : env.getValue()) {
                    writeObjects(chart.objects(), Files.createDirectories(temp.resolve(env.getKey()).resolve(chart.chart().name())));
                }
            }
            swap(temp, dir);
            temp = null;
        } catch (IOException e) {
            throw new BundleException("[" + name + "] cannot write " + dir + ": " + e, e);
        } finally {
            if (temp != null) {
                delete(temp);
            }
        }
    }

    private static void checkReplaceable(Path dir, String bundle) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new BundleException("[" + bundle + "] cannot write " + dir + ": a file of that name exists");
        }
        try (Stream<Path> children = Files.list(dir)) {
            if (children.findAny().isPresent() && !Files.exists(dir.resolve(MARKER))) {
                throw new BundleException("[" + bundle + "] cannot write " + dir + ": the directory exists, is not"
                        + " empty and has no " + MARKER + " file, so hydrate does not replace it");
            }
        }
    }

    private static void writeObjects(List<KubeObject> objects, Path dir) throws IOException {
        Set<String> plain = new HashSet<>();
        Set<String> clashing = new HashSet<>();
        for (KubeObject o : objects) {
            if (!plain.add(plainName(o))) {
                clashing.add(plainName(o));
            }
        }
        Set<String> written = new HashSet<>();
        for (KubeObject o : objects) {
            String file = plainName(o);
            if (clashing.contains(file)) {
                file = lower(o.kind()) + "-" + (o.namespace() == null ? "cluster" : o.namespace()) + "-" + o.name();
            }
            String unique = file;
            for (int i = 2; !written.add(unique); i++) {
                unique = file + "-" + i; // the same object twice; the policy report names the duplicate
            }
            Files.writeString(dir.resolve(unique + ".yaml"), "# Source: " + o.source() + "\n" + Yaml.write(o.body()));
        }
    }

    private static String plainName(KubeObject o) {
        return lower(o.kind()) + "-" + (o.name() == null ? "unnamed" : o.name());
    }

    private static String lower(String kind) {
        return kind == null ? "object" : kind.toLowerCase(Locale.ROOT);
    }

    private static void swap(Path temp, Path dir) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = temp.resolveSibling(temp.getFileName() + ".old");
            Files.move(dir, old);
        }
        try {
            try {
                Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, dir);
            }
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, dir);
            }
            throw e;
        }
        if (old != null) {
            delete(old);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover hidden directory is named after its target
        }
    }
}
