package io.homestack.testsupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TestDirectoriesTest {

    @TempDir
    Path tmp;

    @Test
    void anEarlierRunsTreeIsGoneAndTheDirectoryIsThere() throws IOException {
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/old.txt"), "earlier run");
        Files.writeString(dir.resolve("top.txt"), "earlier run");

        assertThat(TestDirectories.empty(dir)).isEqualTo(dir).isEmptyDirectory();
    }

    @Test
    void aMissingDirectoryIsCreatedWithItsParents() throws IOException {
        Path dir = tmp.resolve("x/y/run");

        assertThat(TestDirectories.empty(dir)).isEmptyDirectory();
    }
}
