package io.homestack.bundle.test.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** check_config's verdict as the kit reads it: its exit code counts only "Failed config", not "Incorrect config". */
class HomeAssistantTest {

    @Test
    void onlyAnOutputWithoutFailedOrIncorrectConfigAndExitZeroPasses() {
        assertThat(new HomeAssistant.CheckResult(0, "Testing configuration at /c\n").passed()).isTrue();
        assertThat(new HomeAssistant.CheckResult(0, "Incorrect config\n  prometheus:\n").passed()).isFalse();
        assertThat(new HomeAssistant.CheckResult(1, "Failed config\n").passed()).isFalse();
        assertThat(new HomeAssistant.CheckResult(1, "Testing configuration at /c\n").passed()).isFalse();
    }
}
