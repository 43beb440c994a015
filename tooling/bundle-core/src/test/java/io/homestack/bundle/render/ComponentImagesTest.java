package io.homestack.bundle.render;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.BundleDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComponentImagesTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final List<ComponentImages.Built> SIMULATOR =
            List.of(new ComponentImages.Built("zigbee-simulator", DIGEST, "zigbee-simulator-oci-manifest.json"));

    @Test
    void aComponentImageWithoutTagIsPinnedToTheBuiltDigestOthersAreLeftAlone() {
        RenderedBundle rendered = rendered(deployment("registry.localhost:5111/homestack/zigbee-simulator",
                "docker.io/eclipse-mosquitto:2.0.22"));
        ComponentImages.pin(rendered, SIMULATOR);
        assertThat(PodSpecs.images(rendered.objects("k3d"))).containsExactly(
                "registry.localhost:5111/homestack/zigbee-simulator@" + DIGEST, "docker.io/eclipse-mosquitto:2.0.22");
        assertThat(rendered.images().get("k3d")).as("so the bundle's and the release's image lists have the digest")
                .contains("registry.localhost:5111/homestack/zigbee-simulator@" + DIGEST);
    }

    @Test
    void aTagOnAComponentImageIsRefusedNamingTheFileObjectAndContainer() {
        RenderedBundle rendered = rendered(deployment("registry.localhost:5111/homestack/zigbee-simulator:0.1.0",
                "docker.io/eclipse-mosquitto:2.0.22"));
        assertThatThrownBy(() -> ComponentImages.pin(rendered, SIMULATOR)).isInstanceOf(BundleException.class)
                .hasMessageContaining("[demo] manifests/k3d/zigbee-simulator/deployment.yaml: Deployment demo/sim"
                        + " container 'app' runs registry.localhost:5111/homestack/zigbee-simulator:0.1.0")
                .hasMessageContaining("write registry.localhost:5111/homestack/zigbee-simulator without a tag");
    }

    @Test
    void aComponentImageNoContainerRunsIsAnError() {
        RenderedBundle rendered = rendered(deployment("docker.io/a/b:1", "docker.io/eclipse-mosquitto:2.0.22"));
        assertThatThrownBy(() -> ComponentImages.pin(rendered, SIMULATOR))
                .hasMessageContaining("[demo] depends on the component image(s) [zigbee-simulator] but no container runs them");
        ComponentImages.pin(rendered, List.of()); // no component images, nothing to pin
        assertThat(PodSpecs.images(rendered.objects("k3d"))).containsExactly("docker.io/a/b:1", "docker.io/eclipse-mosquitto:2.0.22");
    }

    private static String deployment(String app, String sidecar) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: sim, namespace: demo}
                spec:
                  template:
                    spec:
                      containers:
                        - {name: app, image: "%s"}
                        - {name: sidecar, image: "%s"}
                """.formatted(app, sidecar);
    }

    private static RenderedBundle rendered(String yaml) {
        KubeObject object = new KubeObject(Yaml.readMap(yaml, "test"), "manifests/k3d/zigbee-simulator/deployment.yaml");
        Bundle bundle = new Bundle(Path.of("demo"), new BundleDescriptor("demo", null, "workloads", null, null, null, null));
        return new RenderedBundle(bundle, Map.of("k3d", List.of(object)));
    }
}
