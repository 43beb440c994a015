package io.homestack.bundle.test;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The rendered artifact tree of the bundle under test ({@code target/bundle}), for unit tests on the output.
 * The build passes its location as the system property {@code homestack.bundle.output}.
 */
public final class BundleOutput {

    private final Path root;

    private BundleOutput(Path root) {
        this.root = root;
    }

    /** The output of the module under test; fails with a hint when the render step has not run. */
    public static BundleOutput ofModule() {
        String dir = System.getProperty("homestack.bundle.output", "target/bundle");
        return of(Path.of(dir));
    }

    public static BundleOutput of(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException(root + " does not exist: run the bundle's render goal first"
                    + " (mvn test runs it in generate-resources)");
        }
        return new BundleOutput(root);
    }

    public Path root() {
        return root;
    }

    /** Every object of one environment, sorted by file name. */
    public List<KubeObject> objects(String environment) {
        Path dir = root.resolve(environment);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted()
                    .flatMap(f -> read(f).stream().map(doc -> new KubeObject(doc, root.relativize(f).toString())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    public List<KubeObject> objects(String environment, String kind) {
        return objects(environment).stream().filter(o -> kind.equals(o.kind())).toList();
    }

    /** The one object of a kind and name; fails listing what exists when there is none. */
    public KubeObject object(String environment, String kind, String name) {
        List<KubeObject> ofKind = objects(environment, kind);
        return ofKind.stream().filter(o -> name.equals(o.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " '" + name + "' in " + environment + "; found "
                        + ofKind.stream().map(KubeObject::name).toList()));
    }

    private static List<Map<String, Object>> read(Path file) {
        try {
            return Yaml.readAll(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
