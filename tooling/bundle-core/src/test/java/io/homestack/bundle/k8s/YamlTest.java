package io.homestack.bundle.k8s;

import io.homestack.bundle.BundleException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Hostile and broken YAML fails fast, names the place, and never quotes the input or the parser's internals. */
class YamlTest {

    private static String error(String yaml) {
        try {
            Yaml.readAll(yaml, "f.yaml");
        } catch (BundleException e) {
            assertThat(e.getMessage()).doesNotContain("reference chain", "com.fasterxml", "org.yaml", "<block",
                    "<scalar>", "'?'", "\n");
            return e.getMessage();
        }
        throw new AssertionError("no error for:\n" + yaml);
    }

    @Test
    void readsEveryDocumentOfAStream() {
        assertThat(Yaml.readAll("a: 1\n---\n---\nb: 2\n", "f.yaml")).containsExactly(Map.of("a", 1), Map.of("b", 2));
    }

    @Test
    void syntaxErrorsPointAtTheProblemWithoutQuotingTheFile() {
        assertThat(error("root:x:0:0:root:/root:/bin/bash\n  secret: value: x\n"))
                .startsWith("f.yaml line 2, column 9: not valid YAML: mapping values are not allowed here")
                .doesNotContain("root:x", "secret");
        assertThat(error("- a\nb: c\n")).startsWith("f.yaml line 2, column 1: not valid YAML: the structure breaks here");
        assertThat(error("a: 1\nkey: \"unterminated\nmore\n"))
                .isEqualTo("f.yaml line 2, column 6: not valid YAML: a quoted scalar starting here is never closed");
    }

    @Test
    void duplicateKeysAreErrors() {
        assertThat(error("kind: ConfigMap\nmetadata: {name: x}\nkind: Secret\n"))
                .startsWith("f.yaml line 3").contains("key 'kind' appears twice");
    }

    @Test
    void aliasesAndMergeKeysAreErrorsNotSilentlyMisread() {
        assertThat(error("a: &k Secret\nb:\n  kind: *k\n"))
                .isEqualTo("f.yaml line 3, column 9: aliases (*name) are not supported: tools disagree on them;"
                        + " write the value out");
        assertThat(error("a: &m {kind: Secret}\n---\nb:\n  <<: {kind: Secret}\n"))
                .startsWith("f.yaml line 4, column 3: merge keys (<<) are not supported");
    }

    @Test
    void deepNestingIsBounded() {
        String deep = "a: " + "[".repeat(Yaml.MAX_DEPTH + 5) + "]".repeat(Yaml.MAX_DEPTH + 5) + "\n";
        assertThat(error(deep)).startsWith("f.yaml").contains("nested more than 100 levels deep");
        String ok = "a: " + "[".repeat(50) + "]".repeat(50) + "\n";
        assertThat(Yaml.readAll(ok, "f.yaml")).hasSize(1);
    }

    @Test
    void hugeInputFailsFastNamingTheSource() {
        String huge = "a: " + "x".repeat(Yaml.MAX_CHARS) + "\n";
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(error(huge))
                .isEqualTo("f.yaml: 16 MiB of YAML is more than the 16 MiB homestack reads at once; split it or leave it out"));
    }

    @Test
    void aDocumentThatIsNotAMappingIsNamed() {
        assertThatThrownBy(() -> Yaml.readAll("- a\n", "f.yaml")).isInstanceOf(BundleException.class)
                .hasMessage("f.yaml: a YAML document is not a mapping (an object was expected)");
    }
}
