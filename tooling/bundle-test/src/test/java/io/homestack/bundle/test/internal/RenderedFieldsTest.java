package io.homestack.bundle.test.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RenderedFieldsTest {

    @Test
    void aLiveObjectWithDefaultsStatusAndAddedMetadataHoldsTheRender() {
        Map<String, Object> rendered = Map.of("metadata", Map.of("name", "a", "labels", Map.of("app", "x")),
                "spec", Map.of("replicas", 1, "ports", List.of(Map.of("port", 80)), "selector", Map.of()));
        Map<String, Object> live = Map.of("metadata", Map.of("name", "a", "uid", "u",
                        "labels", Map.of("app", "x", "argocd.argoproj.io/instance", "media")),
                "spec", Map.of("replicas", 1L, "ports", List.of(Map.of("port", 80, "protocol", "TCP"))),
                "status", Map.of("ready", true));

        assertThat(RenderedFields.differences(rendered, live)).isEmpty();
    }

    @Test
    void quantitiesCompareByAmountOtherStringsExactly() {
        assertThat(RenderedFields.differences(Map.of("cpu", "0.5", "memory", "1Gi", "n", 2),
                Map.of("cpu", "500m", "memory", "1024Mi", "n", "2"))).isEmpty();
        assertThat(RenderedFields.differences(Map.of("tz", "Etc/UTC"), Map.of("tz", "Europe/Berlin")))
                .containsExactly("tz: rendered Etc/UTC, live Europe/Berlin");
    }

    @Test
    void aMissingChangedOrReorderedFieldIsADifferenceWithItsPath() {
        Map<String, Object> rendered = Map.of("data", Map.of("TZ", "Etc/UTC", "MODE", "a"),
                "spec", Map.of("args", List.of("--a", "--b")));
        Map<String, Object> live = Map.of("data", Map.of("TZ", "Etc/UTC"), "spec", Map.of("args", List.of("--b", "--a")));

        assertThat(RenderedFields.differences(rendered, live)).containsExactlyInAnyOrder(
                "data.MODE: rendered a, live has none",
                "spec.args[0]: rendered --a, live --b",
                "spec.args[1]: rendered --b, live --a");
    }
}
