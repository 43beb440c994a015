package io.homestack.bundle.k8s;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Secret objects wherever chart values can hide them: nested mappings, lists, YAML and template text. */
class SecretObjectsTest {

    private static List<String> find(String yaml) {
        return SecretObjects.find(Yaml.readMap(yaml, "values.yaml"));
    }

    @Test
    void findsSecretsAtAnyDepthWithTheirPath() {
        assertThat(find("""
                extraDeploy:
                  - apiVersion: v1
                    kind: ConfigMap
                  - apiVersion: v1
                    kind: Secret
                deep:
                  a:
                    b: [{c: {apiVersion: /v1, kind: Secret}}]
                """)).containsExactly("extraDeploy[1]", "deep.a.b[0].c");
    }

    @Test
    void findsSecretsInYamlTextAndTemplateText() {
        assertThat(find("""
                extraObjects:
                  - |
                    apiVersion: v1
                    kind: ConfigMap
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata:
                      name: {{ include "app.fullname" . }}
                    {{- if .Values.x }}
                    stringData:
                      password: {{ .Values.password | quote }}
                    {{- end }}
                  - '{apiVersion: v1, kind: Secret}'
                extraManifests:
                  - |
                    {{- range .Values.things }}
                    - apiVersion: v1
                      kind: Secret
                      data: {{ . }}
                    {{- end }}
                """)).containsExactly("extraObjects[0] (YAML text, document 2)", "extraObjects[1] (YAML text, document 1)",
                "extraManifests[0] (YAML text, document 1)");
    }

    @Test
    void templateTextThatIsNotYamlIsCheckedLineByLine() {
        assertThat(SecretObjects.find(Map.of("extraDeploy", "apiVersion: v1\nkind: \"Secret\"\nmetadata: {{ bad\n  : x\n")))
                .containsExactly("extraDeploy (template text with a 'kind: Secret' line)");
    }

    @Test
    void itemsOfATypedListAreSecretsWithoutAKindOfTheirOwn() {
        assertThat(find("""
                apiVersion: v1
                kind: SecretList
                items:
                  - metadata: {name: a}
                    stringData: {password: x}
                """)).containsExactly("items[0]");
        assertThat(find("nested: {apiVersion: v1, kind: secretlist, items: [{}, {metadata: {name: b}}]}\n"))
                .containsExactly("nested.items[0]", "nested.items[1]");
        assertThat(find("apiVersion: v1\nkind: ConfigMapList\nitems: [{metadata: {name: a}}]\n")).isEmpty();
    }

    @Test
    void hostileTemplateTextIsScannedInLinearTime() {
        String text = "kind: secret\n" + "{{ ".repeat(300_000); // no closing braces: each opening one would scan to the end
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> SecretObjects.find(Map.of("x", text)));
        assertThat(SecretObjects.withoutTemplateActions("a: {{ .x }}\n  {{- if .y }}\nb: {{ .z }}-{{ .w }}\n{{ end }}\n"))
                .isEqualTo("a: x\nb: x-x\n");
    }

    @Test
    void referencesToSecretsAreNotSecrets() {
        assertThat(find("""
                existingSecret: my-secret
                valuesFrom: [{kind: Secret, name: x}]
                secretRef: {apiVersion: v1, kind: SealedSecret, name: x}
                notes: "kind: Secret is how you would write it"
                """)).isEmpty();
    }
}
