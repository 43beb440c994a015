package io.homestack.bundle.hydrate;

import com.marcnuri.helm.Helm;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.BundleLog;
import io.homestack.bundle.TestBundles;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.oci.LocalRegistry;
import io.homestack.bundle.oci.LocalRegistryExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.homestack.bundle.hydrate.HydrateFixtures.CHART_VERSION;
import static io.homestack.bundle.hydrate.HydrateFixtures.chartsDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The repository path for OCI chart repositories, against a real registry (docker-registry on 127.0.0.1, plain HTTP)
 * holding the test chart pushed with Helm. Chart repositories over https (index.yaml) remain untested: none is
 * reachable here.
 */
@ExtendWith(LocalRegistryExtension.class)
class HydratorRegistryTest {

    private LocalRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void pushTheChart(LocalRegistry registry, @TempDir Path packaged) {
        new Helm(chartsDir().resolve("demo")).packageIt().withDestination(packaged).call();
        new Helm(packaged).push().withChart(packaged.resolve("demo-" + CHART_VERSION + ".tgz"))
                .withRemote(URI.create("oci://" + registry.address() + "/charts")).plainHttp().call();
    }

    private Path bundle(String repository, String version) {
        return TestBundles.in(dir.resolve("bundle"))
                .file("bundle.yaml", """
                        name: hydrate-demo
                        group: workloads
                        environments: [k3s]
                        charts:
                          - name: demo
                            repository: %s
                            version: %s
                            namespace: demo
                            releaseName: web
                            images: [docker.io/library/nginx:1.27.3, docker.io/library/busybox:1.37.0]
                        """.formatted(repository, version))
                .file("values/demo.yaml", "replicaCount: 4\n").dir();
    }

    @Test
    void rendersAChartFromAnOciRepositoryAtItsPinnedVersion() throws IOException {
        Path emptyCharts = Files.createDirectories(dir.resolve("charts"));
        Hydrator hydrator = new Hydrator(ChartSource.directory(emptyCharts).orRepositories(), BundleLog.SILENT);

        // Argo CD's spelling of an OCI Helm repository: no scheme.
        HydratedBundle hydrated = hydrator.hydrate(Bundle.load(bundle(registry.address() + "/charts", CHART_VERSION)),
                dir.resolve("work"));

        HydratedChart chart = hydrated.environments().get("k3s").get(0);
        assertThat(chart.location()).isEqualTo("oci://" + registry.address() + "/charts/demo");
        // CRDs and hooks are read from local charts only.
        assertThat(chart.objects()).extracting(KubeObject::describe)
                .containsExactly("ConfigMap demo/web-settings", "Deployment demo/web");
        assertThat(KubeObject.path(chart.objects().get(1).body(), "spec")).containsEntry("replicas", 4);
        assertThat(KubeObject.map(chart.objects().get(0).body().get("data"))).containsEntry("kubeVersion", "v1.35.0");
    }

    @Test
    void aVersionTheRepositoryDoesNotHaveIsAClearError() {
        Hydrator hydrator = new Hydrator(ChartSource.repositories(), BundleLog.SILENT);
        Bundle bundle = Bundle.load(bundle(registry.address() + "/charts", "0.9.9"));

        assertThatThrownBy(() -> hydrator.hydrate(bundle, dir.resolve("work")))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("[hydrate-demo] chart 'demo' 0.9.9: helm show chart oci://" + registry.address()
                        + "/charts/demo failed: ")
                .hasMessageContaining("0.9.9");
    }
}
