package io.homestack.bundle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestToolsTest {

    @Test
    void ciOrThePropertyRequireTheTools() {
        assertThat(TestTools.required("true", null)).isTrue();
        assertThat(TestTools.required(null, "true")).isTrue();
        assertThat(TestTools.required("TRUE", "false")).isTrue();
    }

    @Test
    void aDevelopersMachineMaySkip() {
        assertThat(TestTools.required(null, null)).isFalse();
        assertThat(TestTools.required("false", "false")).isFalse();
    }
}
