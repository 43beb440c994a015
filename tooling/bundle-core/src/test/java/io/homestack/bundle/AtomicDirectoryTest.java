package io.homestack.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicDirectoryTest {

    @Test
    void deleteQuietlyRemovesATreeButNotWhatItsLinksPointTo(@TempDir Path dir) throws Exception {
        Path outside = Files.writeString(dir.resolve("outside"), "kept");
        Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
        Files.writeString(tree.resolve("file"), "x");
        Files.createSymbolicLink(dir.resolve("tree/link"), outside);
        Files.createSymbolicLink(dir.resolve("tree/a/dirlink"), dir);
        AtomicDirectory.deleteQuietly(dir.resolve("tree"));
        assertThat(dir.resolve("tree")).doesNotExist();
        assertThat(outside).hasContent("kept");
    }

    @Test
    void deletingAMissingTreeIsQuiet(@TempDir Path dir) {
        AtomicDirectory.deleteQuietly(dir.resolve("never"));
        assertThat(dir.resolve("never")).doesNotExist();
    }
}
