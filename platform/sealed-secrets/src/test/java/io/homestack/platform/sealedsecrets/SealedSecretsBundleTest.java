package io.homestack.platform.sealedsecrets;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the rendered sealed-secrets bundle (target/bundle/&lt;env&gt;) for both environments. */
class SealedSecretsBundleTest {

    /** What kubeseal assumes without --controller-namespace / --controller-name, and so does our documentation. */
    private static final String KUBESEAL_NAMESPACE = "kube-system";
    private static final String KUBESEAL_NAME = "sealed-secrets-controller";
    private static final String APPLICATION = "sealed-secrets-sealed-secrets";
    private static final String CHART_VERSION = "2.19.3";

    private final BundleOutput output = BundleOutput.ofModule();

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theControllerRunsWhereKubesealLooksForIt(String env) {
        KubeObject app = application(env);

        assertThat(KubeObject.path(app.body(), "spec", "destination")).containsEntry("namespace", KUBESEAL_NAMESPACE);
        assertThat(values(env)).as("the chart names the Deployment and Service after fullnameOverride")
                .containsEntry("fullnameOverride", KUBESEAL_NAME)
                .doesNotContainKey("namespace");
        assertThat(KubeObject.path(app.body(), "spec")).containsEntry("project", "platform");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theChartIsPinnedAndRunsTheControllerVersionOfTheEnvtestBinaries(String env) throws IOException {
        Map<String, Object> source = source(env);
        String controller = versionsEnv("SEALED_SECRETS_VERSION").replaceFirst("^v", "");

        assertThat(source).containsEntry("repoURL", "https://bitnami.github.io/sealed-secrets")
                .containsEntry("chart", "sealed-secrets").containsEntry("targetRevision", CHART_VERSION);
        Map<String, Object> image = KubeObject.path(values(env), "image");
        assertThat(image).containsEntry("registry", "docker.io")
                .containsEntry("repository", "bitnami/sealed-secrets-controller")
                .containsEntry("tag", controller);
        assertThat(Files.readString(output.root().resolve(".homestack/bundle.json")))
                .contains("docker.io/bitnami/sealed-secrets-controller:" + controller);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theKeysTheControllerGeneratesHaveAnIssuerSoTheJavaSealerCanReadTheirCertificate(String env) {
        assertThat(KubeObject.list(values(env).get("command"))).as("the chart's args follow the command")
                .containsExactly("controller", "--my-cn=homestack-sealed-secrets");
        assertThat(values(env)).as("the chart's own args (keyrenewperiod and the rest) stay in use")
                .doesNotContainKey("args");
    }

    @Test
    void onlyK3dKeepsItsCommittedTestKeyActiveForever() {
        assertThat(values("k3d")).containsEntry("keyrenewperiod", "0");
        assertThat(values("k3s")).as("upstream's 30 days, explicit").containsEntry("keyrenewperiod", "720h");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theBundleCarriesNoKeyAndNoSecret(String env) throws IOException {
        assertThat(output.objects(env)).extracting(KubeObject::kind).containsOnly("Application")
                .doesNotContain("Secret", "SealedSecret");
        Map<String, Object> values = values(env);
        assertThat(values).as("no key material and no key Secret name handed to the chart")
                .doesNotContainKeys("secretName", "privateKeyAnnotations", "privateKeyLabels");

        Path k3dCertificate = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize()
                .resolve("../../clusters/k3d/sealed-secrets/sealed-secrets-k3d.crt").normalize();
        String k3dCertificateBody = Files.readAllLines(k3dCertificate).get(1);
        try (Stream<Path> files = Files.walk(output.root())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain("PRIVATE KEY")
                        .doesNotContain("BEGIN CERTIFICATE").doesNotContain(k3dCertificateBody);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k3d", "k3s"})
    void theControllerHasExplicitResources(String env) {
        Map<String, Object> resources = KubeObject.path(values(env), "resources");
        assertThat(KubeObject.path(resources, "requests")).containsKeys("cpu", "memory");
        assertThat(KubeObject.path(resources, "limits")).containsKey("memory");
    }

    // --- helpers ---

    private KubeObject application(String env) {
        List<KubeObject> apps = output.objects(env, "Application");
        assertThat(apps).extracting(KubeObject::name).containsExactly(APPLICATION);
        return apps.get(0);
    }

    private Map<String, Object> source(String env) {
        return KubeObject.path(application(env).body(), "spec", "source");
    }

    private Map<String, Object> values(String env) {
        return KubeObject.path(source(env), "helm", "valuesObject");
    }

    /** A value of tooling/k8s-test-binaries/versions.env (plain KEY=value lines). */
    private static String versionsEnv(String key) throws IOException {
        Path bundleDir = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();
        Path file = bundleDir.resolve("../../tooling/k8s-test-binaries/versions.env").normalize();
        return Files.readAllLines(file).stream().map(String::strip).filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError(key + " is not set in " + file));
    }
}
