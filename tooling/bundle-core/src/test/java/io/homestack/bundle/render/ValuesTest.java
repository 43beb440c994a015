package io.homestack.bundle.render;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ValuesTest {

    @Test
    void mergesMapsReplacesListsAndScalarsAndNullRemoves() {
        Map<String, Object> base = Map.of(
                "image", Map.of("tag", "1.0", "repository", "x"),
                "args", List.of("a", "b"),
                "replicas", 1,
                "debug", true);
        Map<String, Object> overlay = new HashMap<>();
        overlay.put("image", Map.of("tag", "1.1"));
        overlay.put("args", List.of("c"));
        overlay.put("debug", null);
        Map<String, Object> merged = Values.merge(base, overlay);
        assertThat(merged).containsEntry("image", Map.of("tag", "1.1", "repository", "x"))
                .containsEntry("args", List.of("c"))
                .containsEntry("replicas", 1)
                .doesNotContainKey("debug");
        assertThat(base).containsKey("debug");
    }
}
