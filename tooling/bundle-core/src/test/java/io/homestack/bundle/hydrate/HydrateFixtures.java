package io.homestack.bundle.hydrate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** The test chart and bundle under src/test/resources/hydrate, and copies of them to change. */
final class HydrateFixtures {

    static final String CHART_VERSION = "0.3.1";

    private HydrateFixtures() {
    }

    static Path resource(String path) {
        try {
            return Path.of(HydrateFixtures.class.getResource("/hydrate/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Directory holding demo/ (a chart directory). */
    static Path chartsDir() {
        return resource("charts");
    }

    /** The bundle pinning demo 0.3.1, release 'web' in namespace 'demo', with values/demo.yaml and demo-k3s.yaml. */
    static Path bundleDir() {
        return resource("bundle");
    }

    static Path copy(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
