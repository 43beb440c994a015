package io.homestack.bundle.validate;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.BundleDescriptor;
import io.homestack.bundle.render.RenderedBundle;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each policy with one object that passes and one that fails. */
class ValidatorTest {

    private static final String GOOD_DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: demo}
            spec:
              template:
                spec:
                  securityContext: {runAsNonRoot: true}
                  containers:
                    - name: web
                      image: ghcr.io/demo/web:1.2.3
                      resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}
                      livenessProbe: {httpGet: {path: /, port: 80}}
                      readinessProbe: {httpGet: {path: /, port: 80}}
            """;

    private static List<Violation> violations(String... yaml) {
        List<KubeObject> objects = new ArrayList<>();
        for (String doc : yaml) {
            objects.add(new KubeObject(Yaml.readMap(doc, "test"), "manifests/base/test.yaml"));
        }
        Bundle bundle = new Bundle(Path.of("demo"), new BundleDescriptor("demo", null, "workloads", null, null, null, null));
        return new Validator().violations(new RenderedBundle(bundle, Map.of("k3d", objects)));
    }

    private static List<String> rules(String... yaml) {
        return violations(yaml).stream().map(Violation::rule).toList();
    }

    @Test
    void goodWorkloadPasses() {
        assertThat(violations(GOOD_DEPLOYMENT)).isEmpty();
    }

    @Test
    void structureNeedsKindNameAndNamespace() {
        assertThat(violations("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"))
                .singleElement().satisfies(v -> {
                    assertThat(v.rule()).isEqualTo("structure");
                    assertThat(v.message()).contains("metadata.namespace is missing");
                });
        assertThat(rules("apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: x}\n")).containsExactly("structure");
        assertThat(rules("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: x, namespace: y}\n"))
                .containsExactly("structure");
    }

    @Test
    void duplicatesAreReportedWithBothFiles() {
        String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: y}\n";
        assertThat(violations(cm, cm)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("duplicate object; also defined in manifests/base/test.yaml"));
    }

    @Test
    void plaintextSecretFailsSealedSecretPasses() {
        assertThat(rules("apiVersion: v1\nkind: Secret\nmetadata: {name: x, namespace: y}\n"))
                .containsExactly("no-plaintext-secret");
        assertThat(rules("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: x, namespace: y}\n"))
                .isEmpty();
    }

    @Test
    void unpinnedImagesFail() {
        assertThat(violations(GOOD_DEPLOYMENT.replace("web:1.2.3", "web:latest"))).singleElement()
                .satisfies(v -> assertThat(v.toString()).contains("[demo] manifests/base/test.yaml (k3d): Deployment demo/web:"
                        + " rule 'image-pinned': container 'web' image 'ghcr.io/demo/web:latest' uses 'latest'"));
        assertThat(rules(GOOD_DEPLOYMENT.replace("web:1.2.3", "web"))).containsExactly("image-pinned");
    }

    @Test
    void workloadsNeedResourcesProbesAndSecurityContext() {
        String bare = GOOD_DEPLOYMENT.replace("      securityContext: {runAsNonRoot: true}\n", "")
                .replace("          livenessProbe: {httpGet: {path: /, port: 80}}\n", "")
                .replace("{requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}", "{requests: {cpu: 10m}}");
        assertThat(violations(bare)).singleElement().satisfies(v -> assertThat(v.message())
                .isEqualTo("container 'web' has no resources.requests.memory, resources.limits.memory, livenessProbe,"
                        + " securityContext (on the pod or the container)"));
    }

    @Test
    void namespacesDeclareInjectionAndPodSecurity() {
        assertThat(rules("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labels:\n"
                + "    istio-injection: enabled\n    pod-security.kubernetes.io/enforce: baseline\n")).isEmpty();
        assertThat(violations("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"))
                .extracting(Violation::message)
                .anySatisfy(m -> assertThat(m).contains("istio-injection"))
                .anySatisfy(m -> assertThat(m).contains("pod-security.kubernetes.io/enforce"));
    }

    @Test
    void httpServicesNeedAVirtualServiceOnTheIngressGateway() {
        String svc = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: demo}\n"
                + "spec:\n  ports:\n    - {name: http, port: 80}\n";
        String vs = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: web, namespace: demo}\n"
                + "spec:\n  hosts: [web.homestack.localhost]\n  gateways: [istio-ingress/homestack-gateway]\n"
                + "  http:\n    - route:\n        - destination: {host: web.demo.svc.cluster.local, port: {number: 80}}\n";
        assertThat(rules(svc)).containsExactly("exposed-http-service");
        assertThat(rules(svc, vs)).isEmpty();
        assertThat(rules(svc, vs.replace("istio-ingress/homestack-gateway", "mesh"))).containsExactly("exposed-http-service");
        assertThat(rules(svc.replace("name: http,", "name: metrics,"))).isEmpty();
    }

    @Test
    void optOutNeedsAReason() {
        String svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: demo\n  annotations:\n"
                + "    policy.homestack.io/skip-exposed-http-service: \"%s\"\nspec:\n  ports:\n    - {name: http, port: 80}\n";
        assertThat(violations(svc.formatted("internal API"))).isEmpty();
        assertThat(violations(svc.formatted(" "))).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("gives no reason"));
    }

    @Test
    void structureCannotBeOptedOutOf() {
        assertThat(violations("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n"
                + "    policy.homestack.io/skip-structure: because\n")).extracting(Violation::message)
                .containsExactly("opts out with annotation 'policy.homestack.io/skip-structure', but this rule cannot be"
                        + " opted out of; remove the annotation", "metadata.namespace is missing (ConfigMap is namespaced)");
    }

    @Test
    void plaintextSecretCannotBeOptedOutOfAndTheOptOutIsItselfAnError() {
        String secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n  namespace: y\n  annotations:\n"
                + "    policy.homestack.io/skip-no-plaintext-secret: \"public CA bundle, not secret\"\n";
        assertThat(violations(secret)).extracting(Violation::toString).containsExactly(
                "[demo] manifests/base/test.yaml (k3d): Secret y/x: rule 'no-plaintext-secret': opts out with annotation"
                        + " 'policy.homestack.io/skip-no-plaintext-secret', but this rule cannot be opted out of; remove"
                        + " the annotation",
                "[demo] manifests/base/test.yaml (k3d): Secret y/x: rule 'no-plaintext-secret': a plaintext Secret must"
                        + " not be committed; seal it (make seal ENV=<env> IN=<file>) and commit the SealedSecret");
    }

    @Test
    void aSecretIsJudgedOnContentNotSpelling() {
        // What the API server and Argo CD take as core/v1 Secret: Go's ParseGroupVersion reads "/v1" as core v1.
        for (String head : List.of("apiVersion: v1\nkind: Secret", "apiVersion: /v1\nkind: Secret",
                "apiVersion: \"v1\"\nkind: 'Secret'", "\"apiVersion\": v1\n\"kind\": !!str Secret",
                // and a superset: no other core object has such a kind
                "apiVersion: V1\nkind: secret", "apiVersion: \" v1 \"\nkind: \" SECRET \"")) {
            assertThat(rules(head + "\nmetadata: {name: x, namespace: y}\n")).as(head).contains("no-plaintext-secret");
        }
        assertThat(rules("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: x, namespace: y}\n"))
                .isEmpty();
        assertThat(rules("apiVersion: example.com/v1\nkind: Secret\nmetadata: {name: x, namespace: y}\n")).isEmpty();
    }

    @Test
    void aSecretInsideAnotherObjectIsFound() {
        String list = "apiVersion: v1\nkind: List\nmetadata: {name: x, namespace: y}\nitems:\n"
                + "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n"
                + "  - {apiVersion: v1, kind: Secret, metadata: {name: b}}\n";
        assertThat(violations(list)).singleElement().satisfies(v -> assertThat(v.message())
                .startsWith("holds a plaintext Secret object at items[1]; seal it"));
        String app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: x, namespace: argocd}\n"
                + "spec:\n  source:\n    helm:\n      valuesObject:\n        extraObjects:\n          - |\n"
                + "            apiVersion: v1\n            kind: Secret\n            metadata:\n"
                + "              name: {{ .Release.Name }}-db\n";
        assertThat(violations(app)).singleElement().satisfies(v -> assertThat(v.message()).startsWith(
                "holds a plaintext Secret object at spec.source.helm.valuesObject.extraObjects[0] (YAML text, document 1);"));
    }

    @Test
    void pathHostileKindsAndNamesBreakTheStructureRule() {
        assertThat(violations("apiVersion: v1\nkind: ../../../../x\nmetadata: {name: a}\n"))
                .extracting(Violation::message).contains("kind '../../../../x' is not a Kubernetes kind (letters and digits)");
        assertThat(violations("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ../a, namespace: y}\n"))
                .extracting(Violation::message).singleElement().asString()
                .startsWith("metadata.name '../a' is not a valid object name");
    }

    @Test
    void validateListsEveryViolationInOneError() {
        Bundle bundle = new Bundle(Path.of("demo"), new BundleDescriptor("demo", null, "workloads", null, null, null, null));
        List<KubeObject> objects = List.of(
                new KubeObject(Yaml.readMap("apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: b}\n", "t"), "a.yaml"),
                new KubeObject(Yaml.readMap("apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n", "t"), "b.yaml"));
        assertThatThrownBy(() -> new Validator().validate(new RenderedBundle(bundle, Map.of("k3s", objects))))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("[demo] 3 policy violations:")
                .hasMessageContaining("a.yaml (k3s): Secret b/a: rule 'no-plaintext-secret'")
                .hasMessageContaining("b.yaml (k3s): Namespace b: rule 'namespace-labels'");
    }
}
