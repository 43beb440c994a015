package io.homestack.platform.argocd;

import io.homestack.bundle.inventory.Inventory;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.BundleDescriptor;
import io.homestack.bundle.test.BundleOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the rendered argocd bundle (target/bundle/&lt;env&gt;) for both environments. */
class ArgoCdBundleTest {

    private static final String NAMESPACE = "argocd";
    private static final String INSTALL = "argocd-install";
    private static final String VERSION = "v3.6.1";
    /** Upstream's workloads at v3.6.1 (manifests/cluster-install) and their main container, Dex removed. */
    private static final Map<String, String> WORKLOADS = Map.of(
            "StatefulSet/argocd-application-controller", "argocd-application-controller",
            "Deployment/argocd-repo-server", "argocd-repo-server",
            "Deployment/argocd-server", "argocd-server",
            "Deployment/argocd-redis", "redis",
            "Deployment/argocd-applicationset-controller", "argocd-applicationset-controller",
            "Deployment/argocd-notifications-controller", "argocd-notifications-controller");

    private final BundleOutput output = BundleOutput.ofModule();

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void upstreamsInstallIsPinnedToTheVersionWhoseCrdsAndBinariesTheTestsRun(String env) throws IOException {
        Map<String, Object> source = source(env);

        assertThat(source).containsEntry("repoURL", "https://github.com/argoproj/argo-cd.git")
                .containsEntry("targetRevision", VERSION).containsEntry("path", "manifests/cluster-install");
        assertThat(argoCdVersionsOfTheTestBinaries()).as("every Argo CD version of tooling/k8s-test-binaries/versions.env")
                .containsKey("CRD_ARGO_CD_VERSION").allSatisfy((key, value) -> assertThat(value).as(key).isEqualTo(VERSION));
        assertThat(Files.readString(output.root().resolve(".homestack/bundle.json")))
                .as("the images upstream's manifests run at " + VERSION)
                .contains("quay.io/argoproj/argocd:" + VERSION)
                .contains("public.ecr.aws/docker/library/redis:8.10.1-alpine");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void argoCdManagesItselfWithoutEverDeletingItself(String env) {
        KubeObject install = output.object(env, "Application", INSTALL);
        Map<String, Object> spec = KubeObject.path(install.body(), "spec");

        assertThat(install.namespace()).isEqualTo(NAMESPACE);
        assertThat(spec).containsEntry("project", "platform");
        assertThat(KubeObject.path(spec, "destination")).containsEntry("namespace", NAMESPACE)
                .containsEntry("server", "https://kubernetes.default.svc");
        assertThat(KubeObject.path(spec, "syncPolicy", "automated")).containsEntry("prune", true)
                .containsEntry("selfHeal", true);
        assertThat(KubeObject.list(KubeObject.path(spec, "syncPolicy").get("syncOptions")))
                .as("upstream's CRDs are too large for client-side apply").contains("ServerSideApply=true");
        assertThat(install.metadata()).as("a cascading delete of Argo CD's own Application would delete Argo CD")
                .doesNotContainKey("finalizers");
    }

    /** The release's bundle Applications carry the resources finalizer; this bundle must survive its Application. */
    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void deletingTheBundlesApplicationNeverDeletesArgoCd(String env) {
        assertThat(output.objects(env)).allSatisfy(o -> assertThat(o.annotations()).as(o.describe())
                .containsEntry("argocd.argoproj.io/sync-options", "Delete=false"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void upstreamsSettingsAndDexAreRemovedSoTheBundlesSettingsAreTheOnlyOnes(String env) {
        List<Map<String, Object>> deleted = patches(env).stream().filter(p -> p.get("$patch") != null)
                .peek(p -> assertThat(p).containsEntry("$patch", "delete")).toList();

        assertThat(deleted).extracting(p -> p.get("kind") + "/" + KubeObject.path(p, "metadata").get("name"))
                .containsExactlyInAnyOrder("ConfigMap/argocd-cm", "ConfigMap/argocd-rbac-cm",
                        "ConfigMap/argocd-cmd-params-cm", "Deployment/argocd-dex-server", "Service/argocd-dex-server",
                        "ServiceAccount/argocd-dex-server", "Role/argocd-dex-server", "RoleBinding/argocd-dex-server",
                        "NetworkPolicy/argocd-dex-server-network-policy");
        for (String cm : List.of("argocd-cm", "argocd-rbac-cm", "argocd-cmd-params-cm")) {
            assertThat(output.object(env, "ConfigMap", cm).labels()).as("%s: Argo CD reads settings labelled so", cm)
                    .containsEntry("app.kubernetes.io/part-of", "argocd");
        }
        assertThat(data(env, "argocd-cm")).as("Dex off: nothing configures it").doesNotContainKeys("dex.config", "oidc.config");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void everyComponentHasRequestsAndAMemoryLimit(String env) {
        Map<String, Map<String, Object>> resources = resources(env);

        assertThat(resources).containsOnlyKeys(WORKLOADS.keySet());
        resources.forEach((workload, r) -> {
            assertThat(KubeObject.path(r, "requests")).as(workload).containsKeys("cpu", "memory");
            assertThat(KubeObject.path(r, "limits")).as(workload).containsKey("memory").doesNotContainKey("cpu");
        });
    }

    @Test
    void theHomeClusterGivesEveryComponentAtLeastWhatK3dGives() {
        Map<String, Map<String, Object>> k3d = resources("k3d");
        Map<String, Map<String, Object>> k3s = resources("k3s");
        for (String workload : WORKLOADS.keySet()) {
            assertThat(mebibytes(KubeObject.path(k3s.get(workload), "limits").get("memory")))
                    .as(workload).isGreaterThanOrEqualTo(mebibytes(KubeObject.path(k3d.get(workload), "limits").get("memory")));
            assertThat(mebibytes(KubeObject.path(k3s.get(workload), "requests").get("memory")))
                    .as(workload).isGreaterThanOrEqualTo(mebibytes(KubeObject.path(k3d.get(workload), "requests").get("memory")));
        }
        assertThat(mebibytes(KubeObject.path(k3d.get("StatefulSet/argocd-application-controller"), "requests").get("memory")))
                .as("measured: the controller holds ~320-370 MB syncing the k3d release").isGreaterThanOrEqualTo(320);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theAppProjectsAreExactlyTheBundleGroups(String env) {
        List<KubeObject> projects = output.objects(env, "AppProject");

        assertThat(projects).extracting(KubeObject::name).containsExactlyInAnyOrderElementsOf(BundleDescriptor.GROUPS);
        assertThat(projects).allSatisfy(p -> {
            assertThat(p.namespace()).isEqualTo(NAMESPACE);
            assertThat(KubeObject.list(KubeObject.path(p.body(), "spec").get("destinations")))
                    .containsExactly(Map.of("server", "https://kubernetes.default.svc", "namespace", "*"));
        });
    }

    @Test
    void theUiUrlIsTheIngressHostOfEachEnvironment() throws IOException {
        assertThat(data("k3d", "argocd-cm")).as("k3d's load balancer maps host 8443 to the gateway")
                .containsEntry("url", "https://argocd.homestack.localhost:8443");
        // the k3s domain is `domain` of the inventory (platform/ingress components/domain/k3s reads it from there)
        Path inventory = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize()
                .resolve("../../clusters/k3s/inventory.yaml").normalize();
        String k3sDomain = Inventory.read(inventory).domain().orElseThrow();
        assertThat(data("k3s", "argocd-cm")).containsEntry("url", "https://argocd." + k3sDomain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theServerSpeaksPlainHttpBehindTheTlsGateway(String env) {
        assertThat(data(env, "argocd-cmd-params-cm")).containsEntry("server.insecure", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theNamespaceIsRestrictedAndOutsideTheMesh(String env) {
        KubeObject namespace = output.object(env, "Namespace", NAMESPACE);

        assertThat(namespace.labels()).containsEntry("istio-injection", "disabled")
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void noSecretIsShipped(String env) {
        assertThat(output.objects(env)).extracting(KubeObject::kind)
                .containsOnly("Namespace", "ConfigMap", "AppProject", "Application");
    }

    // --- helpers ---

    /** CRD_ARGO_CD_VERSION (the CRDs envtest installs) and ARGOCD_VERSION (the binaries the kit runs), where set. */
    private static Map<String, String> argoCdVersionsOfTheTestBinaries() throws IOException {
        Path file = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize()
                .resolve("../../tooling/k8s-test-binaries/versions.env").normalize();
        Map<String, String> found = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] kv = line.strip().split("=", 2);
            if (kv.length == 2 && List.of("CRD_ARGO_CD_VERSION", "ARGOCD_VERSION").contains(kv[0])) {
                found.put(kv[0], kv[1]);
            }
        }
        return found;
    }

    private Map<String, Object> source(String env) {
        return KubeObject.path(output.object(env, "Application", INSTALL).body(), "spec", "source");
    }

    /** The kustomize patches of the install Application, each parsed. */
    private List<Map<String, Object>> patches(String env) {
        return KubeObject.list(KubeObject.path(source(env), "kustomize").get("patches")).stream()
                .map(p -> Yaml.readMap(KubeObject.string(KubeObject.map(p).get("patch")), INSTALL + " patch"))
                .toList();
    }

    /** kind/name of each upstream workload to the resources the patches give its main container. */
    private Map<String, Map<String, Object>> resources(String env) {
        Map<String, Map<String, Object>> found = new HashMap<>();
        for (Map<String, Object> patch : patches(env).stream().filter(p -> p.get("$patch") == null).toList()) {
            String workload = patch.get("kind") + "/" + KubeObject.path(patch, "metadata").get("name");
            List<Object> containers = KubeObject.list(KubeObject.path(patch, "spec", "template", "spec").get("containers"));
            assertThat(containers).as(workload).hasSize(1);
            Map<String, Object> container = KubeObject.map(containers.get(0));
            assertThat(container.get("name")).as(workload + ": the main container").isEqualTo(WORKLOADS.get(workload));
            assertThat(found.put(workload, KubeObject.path(container, "resources"))).as(workload + " patched twice").isNull();
        }
        return found;
    }

    private Map<String, Object> data(String env, String configMap) {
        return KubeObject.path(output.object(env, "ConfigMap", configMap).body(), "data");
    }

    private static long mebibytes(Object quantity) {
        String q = quantity.toString();
        return q.endsWith("Gi") ? Long.parseLong(q.replace("Gi", "")) * 1024 : Long.parseLong(q.replace("Mi", ""));
    }
}
