package io.homestack.platform.certmanager;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.render.Kustomize;
import io.homestack.bundle.render.RenderedBundle;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the rendered cert-manager bundle (target/bundle/&lt;env&gt;) for both environments. */
class CertManagerBundleTest {

    private static final String NAMESPACE = "cert-manager";
    private static final String SELF_SIGNED = "homestack-selfsigned";
    private static final String CA = "homestack-ca";
    private static final String APPLICATION = "cert-manager-cert-manager";
    private static final String CHART_VERSION = "v1.21.2";
    private static final String WAVE = "argocd.argoproj.io/sync-wave";

    private final BundleOutput output = BundleOutput.ofModule();

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theCaChainRunsFromTheSelfSignedIssuerThroughTheCaCertificateToHomestackCa(String env) {
        KubeObject selfSigned = output.object(env, "ClusterIssuer", SELF_SIGNED);
        assertThat(spec(selfSigned)).containsOnlyKeys("selfSigned");

        KubeObject certificate = output.object(env, "Certificate", CA);
        Map<String, Object> certSpec = spec(certificate);
        assertThat(certificate.namespace()).as("a ClusterIssuer reads its CA Secret from cert-manager's namespace")
                .isEqualTo(NAMESPACE);
        assertThat(certSpec).containsEntry("isCA", true).containsEntry("secretName", CA);
        assertThat(KubeObject.path(certSpec, "issuerRef")).containsEntry("group", "cert-manager.io")
                .containsEntry("kind", "ClusterIssuer").containsEntry("name", SELF_SIGNED);
        assertThat(KubeObject.path(certSpec, "privateKey")).as("renewal keeps the CA key, so trust survives it")
                .containsEntry("rotationPolicy", "Never");

        KubeObject ca = output.object(env, "ClusterIssuer", CA);
        assertThat(spec(ca)).containsOnlyKeys("ca");
        assertThat(KubeObject.path(spec(ca), "ca")).containsEntry("secretName", certSpec.get("secretName"));

        assertThat(output.objects(env, "ClusterIssuer")).allSatisfy(issuer ->
                assertThat(issuer.namespace()).as("%s is cluster-scoped", issuer.describe()).isNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theChainIsAppliedLinkByLinkAfterTheChartHasInstalledTheCrds(String env) {
        int selfSigned = wave(output.object(env, "ClusterIssuer", SELF_SIGNED));
        int certificate = wave(output.object(env, "Certificate", CA));
        int ca = wave(output.object(env, "ClusterIssuer", CA));

        assertThat(wave(output.object(env, "Application", APPLICATION))).isZero();
        assertThat(selfSigned).isPositive().isLessThan(certificate);
        assertThat(certificate).isLessThan(ca);
        for (KubeObject custom : customResources(env)) {
            assertThat(custom.annotations()).as("%s: dry run before the CRDs exist", custom.describe())
                    .containsEntry("argocd.argoproj.io/sync-options", "SkipDryRunOnMissingResource=true");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theChartIsPinnedToTheCertManagerReleaseWhoseCrdsTheEnvtestControlPlaneInstalls(String env) throws IOException {
        Map<String, Object> source = source(env);

        // Argo CD's Helm OCI form (no oci:// scheme, chart separate): it treats a scheme-less repoURL as OCI.
        assertThat(source).containsEntry("repoURL", "quay.io/jetstack/charts").containsEntry("chart", "cert-manager")
                .containsEntry("targetRevision", CHART_VERSION);
        assertThat(CHART_VERSION).as("tooling/k8s-test-binaries/versions.env")
                .isEqualTo(versionsEnv("CRD_CERT_MANAGER_VERSION"));
        assertThat(KubeObject.path(application(env).body(), "spec", "destination")).containsEntry("namespace", NAMESPACE);
        assertThat(Files.readString(output.root().resolve(".homestack/bundle.json")))
                .as("every chart image is listed at the chart's version")
                .contains("quay.io/jetstack/cert-manager-controller:" + CHART_VERSION)
                .contains("quay.io/jetstack/cert-manager-webhook:" + CHART_VERSION)
                .contains("quay.io/jetstack/cert-manager-cainjector:" + CHART_VERSION)
                .contains("quay.io/jetstack/cert-manager-acmesolver:" + CHART_VERSION)
                .contains("quay.io/jetstack/cert-manager-startupapicheck:" + CHART_VERSION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theChartInstallsTheCrdsAndKeepsThemOnUninstall(String env) {
        Map<String, Object> values = values(env);

        assertThat(KubeObject.path(values, "crds")).containsEntry("enabled", true).containsEntry("keep", true);
        assertThat(values).as("installCRDs is deprecated since v1.15; crds.enabled replaces it")
                .doesNotContainKey("installCRDs");
    }

    @Test
    void acmeIsNotEnabledByDefaultOnK3sAndAbsentOnK3d() {
        for (String env : List.of("k3d", "k3s")) {
            assertThat(output.objects(env, "ClusterIssuer")).extracting(KubeObject::name).as(env)
                    .containsExactlyInAnyOrder(SELF_SIGNED, CA);
            assertThat(output.objects(env)).as("%s: no ACME issuer, account or DNS token", env)
                    .noneSatisfy(o -> assertThat(spec(o)).containsKey("acme"))
                    .extracting(KubeObject::kind).doesNotContain("SealedSecret");
        }
        assertThat(values("k3d")).as("only k3s gets DNS-01 resolver settings")
                .doesNotContainKeys("dns01RecursiveNameservers", "dns01RecursiveNameserversOnly");
        assertThat(values("k3s")).containsEntry("dns01RecursiveNameserversOnly", true);
    }

    /** The switch the README documents (uncomment the component in manifests/k3s) gives valid DNS-01 issuers. */
    @Test
    void enablingTheAcmeComponentOnK3sAddsLetsEncryptIssuersThatSolveDns01Only() throws IOException {
        Path bundleDir = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();
        Path overlay = bundleDir.resolve("target/test-overlays/k3s-acme");
        Files.createDirectories(overlay);
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../../../manifests/k3s
                components:
                  - ../../../manifests/components/acme-dns01
                """);
        List<KubeObject> objects = new ArrayList<>(Kustomize.locate().build("cert-manager", bundleDir, overlay,
                bundleDir.resolve("target/test-overlays/work")));
        objects.add(application("k3s"));

        List<KubeObject> acme = objects.stream().filter(o -> "ClusterIssuer".equals(o.kind()))
                .filter(o -> spec(o).containsKey("acme")).toList();
        assertThat(acme).extracting(KubeObject::name).containsExactlyInAnyOrder("letsencrypt-staging", "letsencrypt");
        for (KubeObject issuer : acme) {
            Map<String, Object> spec = KubeObject.path(spec(issuer), "acme");
            assertThat(spec.get("server").toString()).startsWith("https://acme-");
            assertThat(KubeObject.list(spec.get("solvers"))).isNotEmpty().allSatisfy(solver ->
                    assertThat(KubeObject.map(solver)).as("%s solves DNS-01 only (nothing exposed)", issuer.name())
                            .containsKey("dns01").doesNotContainKey("http01"));
            assertThat(issuer.annotations()).containsKey(WAVE);
        }
        assertThat(objects).extracting(KubeObject::name).contains(SELF_SIGNED, CA);
        assertThat(new Validator().violations(new RenderedBundle(Bundle.load(bundleDir), Map.of("k3s", objects))))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theNamespaceIsRestrictedAndOutsideTheMesh(String env) {
        KubeObject namespace = output.object(env, "Namespace", NAMESPACE);

        assertThat(namespace.labels()).containsEntry("istio-injection", "disabled")
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        assertThat(KubeObject.path(application(env).body(), "spec", "destination"))
                .containsEntry("namespace", namespace.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void noSecretIsShipped(String env) {
        assertThat(output.objects(env)).extracting(KubeObject::kind).doesNotContain("Secret")
                .containsOnly("Namespace", "ClusterIssuer", "Certificate", "Application");
    }

    // --- helpers ---

    private List<KubeObject> customResources(String env) {
        return output.objects(env).stream().filter(o -> o.apiVersion().startsWith("cert-manager.io/")).toList();
    }

    private KubeObject application(String env) {
        return output.object(env, "Application", APPLICATION);
    }

    private Map<String, Object> source(String env) {
        return KubeObject.path(application(env).body(), "spec", "source");
    }

    private Map<String, Object> values(String env) {
        return KubeObject.path(source(env), "helm", "valuesObject");
    }

    private static Map<String, Object> spec(KubeObject object) {
        return KubeObject.path(object.body(), "spec");
    }

    private static int wave(KubeObject object) {
        Object wave = object.annotations().get(WAVE);
        return wave == null ? 0 : Integer.parseInt(wave.toString());
    }

    /** A value of tooling/k8s-test-binaries/versions.env (plain KEY=value lines). */
    static String versionsEnv(String key) throws IOException {
        Path bundleDir = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();
        Path file = bundleDir.resolve("../../tooling/k8s-test-binaries/versions.env").normalize();
        return Files.readAllLines(file).stream().map(String::strip).filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError(key + " is not set in " + file));
    }
}
