package io.homestack.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small bundle directories for tests, file by file. */
public final class TestBundles {

    private final Path dir;

    private TestBundles(Path dir) {
        this.dir = dir;
    }

    public static TestBundles in(Path dir) {
        return new TestBundles(dir);
    }

    public TestBundles file(String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }
}
