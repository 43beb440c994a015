package io.homestack.bundle.test;

import io.homestack.bundle.model.Bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bundle directories of a repository checkout ({@code <group>/<bundle>/bundle.yaml}), for tests that must cover
 * every bundle. Paths are judged relative to the repository, so a checkout that itself lives under a directory called
 * {@code src} or {@code target} is found like any other.
 */
public final class RepositoryBundles {

    private RepositoryBundles() {
    }

    /** Every bundle directory, sorted; never empty (a discovery that finds nothing fails). */
    public static List<Path> all(Path repository) {
        Path root = repository.toAbsolutePath().normalize();
        List<Path> bundles;
        try (Stream<Path> found = Files.find(root, 3, (p, a) -> p.getFileName().toString().equals(Bundle.DESCRIPTOR)
                && !inBuildOrTestTree(root.relativize(p)))) {
            bundles = found.map(Path::getParent).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the bundles under " + root, e);
        }
        if (bundles.isEmpty()) {
            throw new IllegalStateException("no " + Bundle.DESCRIPTOR + " under " + root + ": is this the repository?");
        }
        return bundles;
    }

    private static boolean inBuildOrTestTree(Path relative) {
        for (Path part : relative) {
            if (part.toString().equals("target") || part.toString().equals("src")) {
                return true;
            }
        }
        return false;
    }
}
