package io.homestack.bundle.hydrate;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.model.Bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs in a fresh JVM (see {@link HelmLoadingTest}): loads and initialises every class of bundle-core, reports whether
 * the native Helm library is mapped into the process, then hydrates twice and reports the times. Prints
 * {@code key=value} lines.
 */
public final class HelmLoadingProbe {

    private HelmLoadingProbe() {
    }

    /** @param args classes directory, bundle directory, charts directory, work directory */
    public static void main(String[] args) throws Exception {
        Path classes = Path.of(args[0]);
        long start = System.nanoTime();
        int loaded = 0;
        try (Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Class.forName(name, true, HelmLoadingProbe.class.getClassLoader());
                    loaded++;
                } catch (LinkageError e) {
                    // Without helm-java only HelmJava cannot link; anything else is a finding.
                    System.out.println("unloadable=" + name + " " + e);
                }
            }
        }
        System.out.println("classes=" + loaded);
        System.out.println("classesMillis=" + millis(start));
        System.out.println("nativeAfterClasses=" + helmMapped());

        Hydrator hydrator = new Hydrator(ChartSource.directory(Path.of(args[2])), BundleLog.SILENT);
        long first = System.nanoTime();
        try {
            hydrator.hydrate(Bundle.load(Path.of(args[1])), Path.of(args[3]));
        } catch (BundleException e) {
            System.out.println("error=" + e.getMessage().replace('\n', ' '));
            return;
        }
        System.out.println("firstHydrateMillis=" + millis(first));
        System.out.println("nativeAfterHydrate=" + helmMapped());
        long second = System.nanoTime();
        hydrator.hydrate(Bundle.load(Path.of(args[1])), Path.of(args[3]));
        System.out.println("secondHydrateMillis=" + millis(second));
        long third = System.nanoTime();
        new Hydrator(ChartSource.directory(Path.of(args[2])), BundleLog.SILENT).hydrate(Bundle.load(Path.of(args[1])), Path.of(args[3]));
        System.out.println("newHydratorMillis=" + millis(third));
    }

    private static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    /** Whether Helm's shared object (helm-linux-amd64.so etc.) is mapped into this process. */
    private static boolean helmMapped() throws IOException {
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        return maps.stream().anyMatch(line -> line.matches(".*/helm-[a-z]+-[a-z0-9]+\\.(so|dylib|dll)$"));
    }
}
