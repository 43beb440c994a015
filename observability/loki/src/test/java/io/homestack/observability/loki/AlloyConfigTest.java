package io.homestack.observability.loki;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test-side reader follows what it can and refuses, naming the line, what it cannot. */
class AlloyConfigTest {

    @Test
    void readsBlocksAttributesAndReferences() {
        AlloyConfig config = AlloyConfig.parse("""
                // comment
                loki.write "default" {
                  endpoint { url = "http://x:1/push" }  /* inline */
                  external_labels = { cluster = "k3d", "a.b" = "c" }
                }
                loki.source.kubernetes "pods" {
                  targets    = discovery.relabel.pod_logs.output
                  forward_to = [loki.write.default.receiver, ]
                }
                """, "inline");

        AlloyConfig.Block write = config.components("loki.write").get(0);
        assertThat(write.id()).isEqualTo("loki.write.default");
        assertThat(write.blocks("endpoint")).singleElement().satisfies(e ->
                assertThat(e.attribute("url")).isEqualTo("http://x:1/push"));
        assertThat(write.attribute("external_labels")).isEqualTo(Map.of("cluster", "k3d", "a.b", "c"));
        AlloyConfig.Block source = config.components("loki.source.kubernetes").get(0);
        assertThat(source.attribute("forward_to")).isEqualTo(List.of(new AlloyConfig.Reference("loki.write.default.receiver")));
        assertThat(config.target(new AlloyConfig.Reference("loki.write.default.receiver"))).contains(write);
        assertThat(source.line()).isEqualTo(6);
    }

    @Test
    void whatItCannotFollowIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> AlloyConfig.parse("a \"b\" {\n  x = env(\"HOME\")\n}\n", "cfg"))
                .hasMessage("cfg, line 2: expression after 'env' is beyond what this reader follows (no calls or"
                        + " operators); extend AlloyConfig");
        assertThatThrownBy(() -> AlloyConfig.parse("a \"b\" {\n  x = \"y\"\n", "cfg"))
                .hasMessageContaining("cfg, line 3: unexpected end of the config");
        assertThatThrownBy(() -> AlloyConfig.parse("a \"b\" {\n  x = 1\n  x = 2\n}", "cfg"))
                .hasMessage("cfg, line 3: attribute 'x' is set twice");
    }

    @Test
    void relabelRulesFollowPrometheusSemantics() {
        List<AlloyConfig.Block> rules = AlloyConfig.parse("""
                r {
                  rule {
                    source_labels = ["__meta_ns", "__meta_pod"]
                    separator     = "/"
                    regex         = "(.*)/(.*)-[a-z0-9]+"
                    replacement   = "${1}:$2"
                    target_label  = "job"
                  }
                  rule {
                    source_labels = ["__meta_ns"]
                    regex         = "kube-.*"
                    action        = "drop"
                  }
                }
                """, "inline").components("r").get(0).blocks("rule");

        assertThat(Relabel.publicLabels(Relabel.apply(rules, Map.of("__meta_ns", "media", "__meta_pod", "sonarr-5d9c7"))))
                .isEqualTo(Map.of("job", "media:sonarr"));
        assertThat(Relabel.apply(rules, Map.of("__meta_ns", "kube-system", "__meta_pod", "coredns-7b98"))).isNull();
        assertThatThrownBy(() -> Relabel.apply(AlloyConfig.parse("r {\n rule {\n action = \"hashmod\"\n }\n}",
                "inline").components("r").get(0).blocks("rule"), Map.of()))
                .hasMessageContaining("relabel action 'hashmod' is not modelled by this test; extend Relabel");
    }
}
