package io.homestack.bundle.hydrate;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing of {@code helm template} output (no Helm needed). */
class HelmOutputTest {

    @Test
    void eachDocumentKeepsItsTemplateAsSourceAndEmptyDocumentsAreSkipped() {
        String output = """
                ---
                # Source: demo/templates/a.yaml
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: a
                data:
                  text: |
                    --- indented, so not a separator
                ---
                # Source: demo/templates/empty.yaml
                ---
                # Source: demo/charts/sub/templates/b.yaml
                apiVersion: v1
                kind: Service
                metadata:
                  name: b
                """;

        List<KubeObject> objects = HelmOutput.objects(output, "chart demo 1.0.0: ");

        assertThat(objects).extracting(KubeObject::describe).containsExactly("ConfigMap a", "Service b");
        assertThat(objects).extracting(KubeObject::source).containsExactly("chart demo 1.0.0: demo/templates/a.yaml",
                "chart demo 1.0.0: demo/charts/sub/templates/b.yaml");
        assertThat(KubeObject.map(objects.get(0).body().get("data"))).containsEntry("text", "--- indented, so not a separator\n");
    }

    @Test
    void invalidYamlNamesTheTemplate() {
        assertThatThrownBy(() -> HelmOutput.objects("---\n# Source: demo/templates/bad.yaml\nkey: [unclosed\n", "chart demo 1.0.0: "))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("chart demo 1.0.0: demo/templates/bad.yaml");
    }
}
