package io.homestack.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Directories a test writes into and leaves for inspection. */
public final class TestDirectories {

    private TestDirectories() {
    }

    /**
     * {@code dir}, created, with whatever an earlier run left in it deleted. Strict: a file that cannot be deleted fails
     * the test, rather than letting it read an earlier run's output.
     */
    public static Path empty(Path dir) throws IOException {
        if (Files.exists(dir)) {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(dir)) {
                paths = walk.sorted(Comparator.reverseOrder()).toList(); // children before their directory
            }
            for (Path path : paths) {
                Files.delete(path);
            }
        }
        return Files.createDirectories(dir);
    }
}
