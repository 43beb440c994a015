package io.homestack.bundle.test.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removing a directory tree the kit made (an engine's temp directory, a stale snapshot, etcd's data). Best effort:
 * cleanup must not hide a test's own outcome, so what cannot be removed is reported on stderr, not thrown.
 */
public final class Trees {

    private Trees() {
    }

    /** Deletes {@code dir} and everything under it (links, not their targets); whether it is gone. */
    public static boolean delete(Path dir) {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            System.err.println("[homestack] cannot remove " + dir + ": " + e);
            return false;
        }
        IOException first = null;
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            System.err.println("[homestack] cannot remove " + dir + " entirely: " + first);
        }
        return !Files.exists(dir);
    }
}
