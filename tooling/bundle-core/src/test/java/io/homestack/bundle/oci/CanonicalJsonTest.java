package io.homestack.bundle.oci;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanonicalJsonTest {

    private static String canonical(String json) throws Exception {
        JsonNode node = CanonicalJson.parse(json.getBytes(StandardCharsets.UTF_8));
        return new String(CanonicalJson.write(node), StandardCharsets.UTF_8);
    }

    @Test
    void sortsKeysAtEveryLevelAndDropsWhitespace() throws Exception {
        assertThat(canonical("{ \"b\": 1,\n \"a\": { \"z\": [ {\"y\": true, \"x\": null} ], \"m\": \"v\" } }"))
                .isEqualTo("{\"a\":{\"m\":\"v\",\"z\":[{\"x\":null,\"y\":true}]},\"b\":1}");
    }

    @Test
    void writesNonAsciiAsUtf8AndEscapesOnlyWhatJsonRequires() throws Exception {
        byte[] bytes = CanonicalJson.write(CanonicalJson.parse(
                "{\"d\":\"Wohnzimmer – Küche \\\"/\\\\ \\u0001\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"d\":\"Wohnzimmer – Küche \\\"/\\\\ \\u0001\"}");
    }

    @Test
    void keepsLargeIntegersAndRejectsFloatingPoint() throws Exception {
        assertThat(canonical("{\"size\":9007199254740993}")).isEqualTo("{\"size\":9007199254740993}");
        assertThatThrownBy(() -> canonical("{\"size\":1.5}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("integers only");
    }

    @Test
    void emptyDescriptorIsTheDigestOfTheTwoBytes() {
        assertThat(Digests.sha256(Descriptor.EMPTY_JSON_BYTES)).isEqualTo(Descriptor.EMPTY_JSON.digest());
        assertThat(Descriptor.EMPTY_JSON.size()).isEqualTo(2);
    }
}
