package io.homestack.testsupport;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

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
        assertThat(TestTools.required("1", null)).isFalse();
    }

    @Test
    void aMissingToolSkipsOutsideCiWithWhatToInstall() {
        assertThat(TestTools.missing("skopeo not found on the PATH: apt-get install skopeo", false))
                .isExactlyInstanceOf(TestAbortedException.class)
                .hasMessage("skopeo not found on the PATH: apt-get install skopeo (or " + TestTools.HOW_TO_INSTALL + ")");
    }

    @Test
    void aMessageThatIsASentenceGetsOneMore() {
        assertThat(TestTools.missing("envtest binaries missing. Build them with build.sh.", false))
                .hasMessage("envtest binaries missing. Build them with build.sh. Or " + TestTools.HOW_TO_INSTALL + ".");
    }

    @Test
    void aMissingToolFailsInCiSayingWhy() {
        assertThat(TestTools.missing("skopeo not found on the PATH: apt-get install skopeo", true))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("skopeo not found on the PATH: apt-get install skopeo (or run `make deps`")
                .hasMessageEndingWith("In CI mode (CI=true or -Dhomestack.requireTools=true) a missing test tool fails"
                        + " the test instead of skipping it.");
    }
}
