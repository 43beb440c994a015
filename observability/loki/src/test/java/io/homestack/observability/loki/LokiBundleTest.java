package io.homestack.observability.loki;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the rendered loki bundle (target/bundle/&lt;env&gt;): Loki answers at the contract's address, and the Alloy
 * pipeline, read back from the alloy Application's values (the ConfigMap content the chart writes), discovers every
 * pod, keeps istio-proxy, labels streams with namespace/pod/container and pushes to that address.
 */
class LokiBundleTest {

    /** The shared observability contract: Grafana's datasource (uid loki) and Alloy use this address. */
    static final String LOKI_URL = "http://loki.observability.svc:3100";
    private static final String NAMESPACE = "observability";
    private static final String LOKI = "loki-loki";
    private static final String ALLOY = "loki-alloy";

    private final BundleOutput output = BundleOutput.ofModule();

    // --- Loki ---

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void lokiIsOneSingleBinaryWhoseServiceIsTheContractsAddress(String env) {
        KubeObject app = output.object(env, "Application", LOKI);
        Map<String, Object> values = values(app);

        // The chart names the single binary's Service after the release when the release name contains the chart's
        // name (its loki.fullname helper): release `loki` in namespace observability -> loki.observability.svc.
        assertThat(KubeObject.path(app.body(), "spec", "destination")).containsEntry("namespace", NAMESPACE);
        assertThat(KubeObject.path(app.body(), "spec", "source", "helm")).containsEntry("releaseName", "loki");
        assertThat(values).doesNotContainKeys("fullnameOverride", "nameOverride", "namespaceOverride");
        assertThat(KubeObject.path(values, "gateway")).as("clients talk to the single binary, not a gateway")
                .containsEntry("enabled", false);
        Object port = KubeObject.path(values, "loki", "server").getOrDefault("http_listen_port", 3100);
        assertThat(LOKI_URL).endsWith(":" + port);

        assertThat(values).containsEntry("deploymentMode", "Monolithic");
        assertThat(KubeObject.path(values, "singleBinary")).containsEntry("replicas", 1);
        for (String scalable : List.of("read", "write", "backend")) {
            assertThat(KubeObject.path(values, scalable)).as("the chart refuses %s replicas next to the single binary",
                    scalable).containsEntry("replicas", 0);
        }
        assertThat(KubeObject.path(values, "loki")).as("one tenant: Alloy and Grafana send no X-Scope-OrgID")
                .containsEntry("auth_enabled", false);
        assertThat(KubeObject.path(values, "loki", "commonConfig")).containsEntry("replication_factor", 1);
    }

    /** Both keep a volume (WAL, TSDB head, compactor); where chunks and index go is LokiObjectStoreTest's. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void lokiHasAVolumeATsdbScheduleAndRetention(String env) {
        Map<String, Object> values = values(output.object(env, "Application", LOKI));

        List<Object> periods = KubeObject.list(KubeObject.path(values, "loki", "schemaConfig").get("configs"));
        assertThat(periods).isNotEmpty().allSatisfy(p -> assertThat(KubeObject.map(p)).containsEntry("store", "tsdb")
                .containsEntry("schema", "v13").containsEntry("object_store",
                        KubeObject.path(values, "loki", "storage").get("type")));
        assertThat(KubeObject.path(values, "loki")).as("not the chart's test schema").doesNotContainKey("useTestSchema");
        assertThat(KubeObject.path(values, "singleBinary", "persistence")).containsEntry("enabled", true)
                .containsEntry("storageClass", "standard");
        assertThat(KubeObject.path(values, "loki", "compactor")).containsEntry("retention_enabled", true)
                .containsEntry("delete_request_store", KubeObject.path(values, "loki", "storage").get("type"));
        assertThat(KubeObject.path(values, "loki", "limits_config")).containsKey("retention_period");
    }

    @Test
    void k3dKeepsLessForLessAndK3sMore() {
        Map<String, Object> k3d = values(output.object("k3d", "Application", LOKI));
        Map<String, Object> k3s = values(output.object("k3s", "Application", LOKI));

        assertThat(KubeObject.path(k3d, "loki", "limits_config")).containsEntry("retention_period", "72h");
        assertThat(KubeObject.path(k3s, "loki", "limits_config")).containsEntry("retention_period", "744h");
        assertThat(KubeObject.path(k3d, "singleBinary", "persistence")).containsEntry("size", "2Gi");
        assertThat(KubeObject.path(k3s, "singleBinary", "persistence")).containsEntry("size", "20Gi");
        for (Map<String, Object> values : List.of(k3d, k3s)) {
            assertThat(KubeObject.path(values, "singleBinary", "resources")).containsKeys("requests", "limits");
            for (String off : List.of("chunksCache", "resultsCache", "lokiCanary", "test", "ruler")) {
                assertThat(KubeObject.path(values, off)).as(off).containsEntry("enabled", false);
            }
        }
    }

    // --- Alloy: the pipeline ---

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void alloyDiscoversEveryPodOfEveryNamespace(String env) {
        AlloyConfig config = alloyConfig(env);

        AlloyConfig.Block discovery = single(config, "discovery.kubernetes");
        assertThat(discovery.attribute("role")).isEqualTo("pod");
        assertThat(discovery.blocks()).as("no namespaces or selectors block narrows discovery").isEmpty();
        assertThat(discovery.attributes()).containsOnlyKeys("role");

        AlloyConfig.Block relabel = relabelOf(config, single(config, "loki.source.kubernetes"));
        assertThat(relabel.attribute("targets"))
                .isEqualTo(new AlloyConfig.Reference(discovery.id() + ".targets"));
    }

    /**
     * Synthetic targets as discovery.kubernetes produces them (one per declared container port, or one per
     * container without ports) run through the config's own relabel rules: none is dropped, istio-proxy included as
     * a regular container, as a native sidecar (init container) and in the ingress gateway's pod, and each becomes a
     * stream labelled namespace/pod/container; the targets of one container's ports become one stream.
     */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyContainerIstioProxyIncludedBecomesAStreamLabelledNamespacePodContainer(String env) {
        AlloyConfig config = alloyConfig(env);
        List<AlloyConfig.Block> rules = relabelOf(config, single(config, "loki.source.kubernetes")).blocks("rule");

        List<Map<String, String>> targets = List.of(
                target("media", "sonarr-5d9c7", "sonarr", "8989", false),
                target("media", "sonarr-5d9c7", "istio-proxy", "15090", false),
                target("media", "sonarr-5d9c7", "istio-proxy", "15021", false),
                target("media", "radarr-7f6b2", "istio-proxy", "15090", true),
                target("istio-ingress", "istio-ingressgateway-6c4f", "istio-proxy", "15090", false),
                target("observability", "loki-0", "loki", "3100", false),
                target("kube-system", "coredns-7b98", "coredns", null, false));
        for (Map<String, String> target : targets) {
            Map<String, String> after = Relabel.apply(rules, target);
            String container = target.get("__meta_kubernetes_pod_container_name");
            assertThat(after).as("target of container %s in %s/%s (init: %s)", container,
                    target.get("__meta_kubernetes_namespace"), target.get("__meta_kubernetes_pod_name"),
                    target.get("__meta_kubernetes_pod_container_init")).isNotNull();
            assertThat(Relabel.publicLabels(after))
                    .containsEntry("namespace", target.get("__meta_kubernetes_namespace"))
                    .containsEntry("pod", target.get("__meta_kubernetes_pod_name"))
                    .containsEntry("container", container);
        }
        assertThat(Relabel.publicLabels(Relabel.apply(rules, targets.get(1))))
                .as("two ports of one istio-proxy: the same stream labels, so one tailer (Alloy keys tailers by them)")
                .isEqualTo(Relabel.publicLabels(Relabel.apply(rules, targets.get(2))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void alloyPushesEveryLineStraightToTheContractsLokiAddress(String env) {
        AlloyConfig config = alloyConfig(env);
        AlloyConfig.Block source = single(config, "loki.source.kubernetes");
        AlloyConfig.Block write = single(config, "loki.write");

        assertThat(KubeObject.list(source.attribute("forward_to"))).as("no loki.process in between that could drop"
                + " lines (extend this test if one is added)")
                .containsExactly(new AlloyConfig.Reference(write.id() + ".receiver"));
        assertThat(write.blocks("endpoint")).singleElement()
                .satisfies(e -> assertThat(e.attribute("url")).isEqualTo(LOKI_URL + "/loki/api/v1/push"));
        assertThat(config.blocks()).extracting(AlloyConfig.Block::name).as("the whole pipeline")
                .containsExactlyInAnyOrder("discovery.kubernetes", "discovery.relabel", "loki.source.kubernetes",
                        "loki.write");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void alloyRunsAsOneNonRootReplicaAllowedToReadPodsAndTheirLogsOnly(String env) {
        Map<String, Object> values = values(output.object(env, "Application", ALLOY));

        assertThat(KubeObject.path(values, "controller")).containsEntry("type", "deployment")
                .containsEntry("replicas", 1);
        assertThat(KubeObject.path(values, "alloy", "configMap")).containsEntry("create", true)
                .doesNotContainKeys("name", "key");
        assertThat(KubeObject.path(values, "alloy")).containsEntry("stabilityLevel", "generally-available")
                .containsEntry("enableReporting", false);
        assertThat(KubeObject.path(values, "alloy", "securityContext")).containsEntry("runAsNonRoot", true)
                .containsEntry("allowPrivilegeEscalation", false);
        assertThat(KubeObject.path(values, "alloy", "mounts")).as("no node filesystem").isEmpty();
        Map<String, Object> grants = new LinkedHashMap<>();
        for (String key : List.of("rules", "clusterRules")) {
            for (Object rule : KubeObject.list(KubeObject.path(values, "rbac").get(key))) {
                Map<String, Object> r = KubeObject.map(rule);
                assertThat(KubeObject.list(r.get("apiGroups"))).containsExactly("");
                assertThat(KubeObject.list(r.get("verbs"))).containsExactlyInAnyOrder("get", "list", "watch");
                KubeObject.list(r.get("resources")).forEach(res -> grants.put(res.toString(), key));
            }
        }
        assertThat(grants).as("the chart's default rules also read every Secret").containsOnlyKeys("pods", "pods/log",
                "namespaces");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theAlloyConfigSurvivesTheChartsTpl(String env) {
        assertThat(alloyContent(env)).as("the chart passes the content through Helm's tpl").doesNotContain("{{");
    }

    /**
     * Alloy's own validator ({@code alloy validate}, or loading the config in {@code alloy run}) would check component
     * names, arguments and references. It is not run here: Alloy cannot be built without linking AGPL code. (The
     * syntax is checked by Alloy's parser: AlloySyntaxTest.)
     */
    @Test
    void alloysOwnValidatorIsNotRunHere() {
        Assumptions.abort("NOT VERIFIED: the Alloy config's components (names, arguments, references) are not checked by"
                + " Alloy's own validator. Alloy v1.18.1 imports github.com/grafana/loki/v3/pkg/logql/syntax and"
                + " pkg/logql/log/pattern (loki.rules.kubernetes, loki.process), which Loki's LICENSING.md leaves under"
                + " AGPL-3.0, so building Alloy would link AGPL code (docs/decisions.md, \"Alloy's validator\"). Checked"
                + " here: the syntax by Alloy's parser (AlloySyntaxTest), the pipeline's structure and relabelling (this"
                + " class); the components' arguments only on a real cluster.");
    }

    // --- images and versions ---

    @Test
    void everyChartImageIsListedAndPinned() throws IOException {
        String metadata = Files.readString(output.root().resolve(".homestack/bundle.json"));
        assertThat(metadata).contains("docker.io/grafana/loki:3.7.6", "docker.io/grafana/alloy:v1.18.1",
                "quay.io/prometheus-operator/prometheus-config-reloader:v0.91.0@sha256:");
        for (String env : List.of("k3d", "k3s")) {
            assertThat(KubeObject.path(values(output.object(env, "Application", ALLOY)), "image"))
                    .as("Alloy v1.18.1 on chart 1.10.1").containsEntry("tag", "v1.18.1");
            assertThat(KubeObject.path(output.object(env, "Application", LOKI).body(), "spec", "source"))
                    .containsEntry("repoURL", "https://grafana-community.github.io/helm-charts")
                    .containsEntry("chart", "loki").containsEntry("targetRevision", "18.11.0");
            assertThat(KubeObject.path(output.object(env, "Application", ALLOY).body(), "spec", "source"))
                    .containsEntry("repoURL", "https://grafana.github.io/helm-charts")
                    .containsEntry("chart", "alloy").containsEntry("targetRevision", "1.10.1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void bothChartsInstallIntoObservabilityUnderTheObservabilityProject(String env) {
        assertThat(output.objects(env)).extracting(KubeObject::kind).as("k3d: and the S3 credentials")
                .isSubsetOf("Application", "SealedSecret");
        assertThat(output.objects(env, "SealedSecret")).allSatisfy(o -> assertThat(o.namespace()).as(o.describe())
                .isEqualTo(NAMESPACE));
        for (KubeObject app : output.objects(env, "Application")) {
            assertThat(KubeObject.path(app.body(), "spec")).containsEntry("project", "observability");
            assertThat(KubeObject.path(app.body(), "spec", "destination")).containsEntry("namespace", NAMESPACE);
        }
    }

    // --- helpers ---

    private static Map<String, String> target(String namespace, String pod, String container, String port,
                                              boolean init) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("__address__", port == null ? "10.42.0.7" : "10.42.0.7:" + port);
        t.put("__meta_kubernetes_namespace", namespace);
        t.put("__meta_kubernetes_pod_name", pod);
        t.put("__meta_kubernetes_pod_uid", "3f1c2a9e-" + pod);
        t.put("__meta_kubernetes_pod_node_name", "k3d-homestack-agent-0");
        t.put("__meta_kubernetes_pod_container_name", container);
        t.put("__meta_kubernetes_pod_container_init", String.valueOf(init));
        t.put("__meta_kubernetes_pod_phase", "Running");
        t.put("__meta_kubernetes_pod_label_app", pod.substring(0, pod.lastIndexOf('-')));
        if (port != null) {
            t.put("__meta_kubernetes_pod_container_port_number", port);
            t.put("__meta_kubernetes_pod_container_port_protocol", "TCP");
        }
        return t;
    }

    private String alloyContent(String env) {
        Object content = KubeObject.path(values(output.object(env, "Application", ALLOY)), "alloy", "configMap")
                .get("content");
        assertThat(content).as("alloy.configMap.content of the rendered alloy Application").isInstanceOf(String.class);
        return content.toString();
    }

    private AlloyConfig alloyConfig(String env) {
        return AlloyConfig.parse(alloyContent(env), env + ": Application " + ALLOY + " alloy.configMap.content");
    }

    private static AlloyConfig.Block single(AlloyConfig config, String component) {
        List<AlloyConfig.Block> found = config.components(component);
        assertThat(found).as("%s components", component).hasSize(1);
        return found.get(0);
    }

    /** The discovery.relabel component whose output the log source tails. */
    private static AlloyConfig.Block relabelOf(AlloyConfig config, AlloyConfig.Block source) {
        Object targets = source.attribute("targets");
        assertThat(targets).isInstanceOf(AlloyConfig.Reference.class);
        AlloyConfig.Block relabel = config.target((AlloyConfig.Reference) targets).orElseThrow(() ->
                new AssertionError(source.id() + ".targets = " + targets + " names no component of the config"));
        assertThat(relabel.name()).isEqualTo("discovery.relabel");
        assertThat(targets).isEqualTo(new AlloyConfig.Reference(relabel.id() + ".output"));
        return relabel;
    }

    private static Map<String, Object> values(KubeObject application) {
        return KubeObject.path(application.body(), "spec", "source", "helm", "valuesObject");
    }
}
