package io.homestack.bundle.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.packageurl.PackageURL;
import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.ArtifactSpec;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.OciLayoutWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SBOM of a bundle and of a release, checked with CycloneDX's own schema validator and a purl parser. */
class SbomTest {

    static final String BUNDLE_JSON = """
            {"charts":[{"chart":"cert-manager","environments":["k3d","k3s"],"images":["quay.io/jetstack/cert-manager-controller:v1.21.2"],
              "name":"cert-manager","namespace":"cert-manager","repository":"quay.io/jetstack/charts","version":"v1.21.2"}],
             "dependencies":[],"description":"the CA","environments":["k3d","k3s"],"group":"platform",
             "images":{"k3d":["quay.io/jetstack/cert-manager-controller:v1.21.2","registry.localhost:5111/tools/x:1.0",
                               "quay.io/a/reloader:v0.91.0@sha256:7d9e4eea5f1139e602508871f422b0116c60e87c662f3dcd234d5ab60cd0d8c1"],
                       "k3s":["quay.io/jetstack/cert-manager-controller:v1.21.2"]},
             "name":"cert-manager","version":"0.1.0"}
            """;
    static final String ISSUER = """
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: homestack-ca
            spec:
              ca:
                secretName: homestack-ca
            """;
    static final String RELEASE_JSON = """
            {"bundles":[{"dependencies":[],"digest":"sha256:86a12a652dfc59f5880f23c75d7eac93f234f54c25b354a23e13107c59d1c67d",
              "group":"platform","name":"argocd","repository":"oci://registry.localhost:5111/homestack/argocd",
              "version":"0.1.0","wave":0}],
             "charts":[{"bundle":"cert-manager","chart":"cert-manager","name":"cert-manager",
              "repository":"quay.io/jetstack/charts","version":"v1.21.2"}],
             "environment":"k3d","images":["docker.io/bitnami/sealed-secrets-controller:0.40.0"],
             "name":"release-k3d","version":"0.1.0"}
            """;

    @TempDir
    Path tmp;
    private int built;

    @Test
    void aBundleSbomNamesItsChartsImagesAndObjectsAndIsValidCycloneDx16() throws Exception {
        OciLayout artifact = artifact("cert-manager", Map.of(".homestack/bundle.json", BUNDLE_JSON,
                "k3d/clusterissuer-homestack-ca.yaml", ISSUER, "k3s/clusterissuer-homestack-ca.yaml", ISSUER));

        byte[] sbom = Sbom.of(artifact, "localhost:5111/homestack/cert-manager");

        assertThat(new JsonParser().validate(sbom, Version.VERSION_16)).as("CycloneDX 1.6 schema").isEmpty();
        JsonNode bom = new ObjectMapper().readTree(sbom);
        JsonNode subject = bom.at("/metadata/component");
        assertThat(subject.path("name").asText()).isEqualTo("cert-manager");
        PackageURL self = new PackageURL(subject.path("purl").asText());
        assertThat(self.getType()).isEqualTo("oci");
        assertThat(self.getVersion()).isEqualTo(artifact.manifestDigest());
        assertThat(self.getQualifiers()).containsEntry("repository_url", "localhost:5111/homestack/cert-manager");

        List<String> refs = new ArrayList<>();
        bom.path("components").forEach(c -> refs.add(c.path("bom-ref").asText()));
        String pinned = "quay.io/a/reloader:v0.91.0@sha256:7d9e4eea5f1139e602508871f422b0116c60e87c662f3dcd234d5ab60cd0d8c1";
        assertThat(refs).containsExactly("chart:cert-manager@v1.21.2",
                "image:" + pinned, "image:quay.io/jetstack/cert-manager-controller:v1.21.2",
                "image:registry.localhost:5111/tools/x:1.0",
                "object:k3d/clusterissuer-homestack-ca.yaml", "object:k3s/clusterissuer-homestack-ca.yaml");
        JsonNode digestPinned = bom.at("/components/1");
        assertThat(digestPinned.path("name").asText()).isEqualTo("quay.io/a/reloader");
        assertThat(digestPinned.path("version").asText()).isEqualTo("v0.91.0");
        assertThat(digestPinned.at("/hashes/0/content").asText()).startsWith("7d9e4eea");
        assertThat(new PackageURL(digestPinned.path("purl").asText()).getVersion()).startsWith("sha256:7d9e4eea");
        JsonNode chart = bom.at("/components/0");
        PackageURL helm = new PackageURL(chart.path("purl").asText());
        assertThat(helm.getType()).isEqualTo("helm");
        assertThat(helm.getName()).isEqualTo("cert-manager");
        assertThat(helm.getVersion()).isEqualTo("v1.21.2");
        assertThat(helm.getQualifiers()).containsEntry("repository_url", "quay.io/jetstack/charts");
        PackageURL image = new PackageURL(bom.at("/components/2/purl").asText());
        assertThat(image.getType()).isEqualTo("docker");
        assertThat(image.getNamespace()).isEqualTo("jetstack");
        assertThat(image.getName()).isEqualTo("cert-manager-controller");
        assertThat(image.getVersion()).isEqualTo("v1.21.2");
        assertThat(image.getQualifiers()).containsEntry("repository_url", "quay.io");
        assertThat(new PackageURL(bom.at("/components/3/purl").asText()).getQualifiers())
                .containsEntry("repository_url", "registry.localhost:5111");
        assertThat(properties(bom.at("/components/2"))).containsEntry("homestack:environments", "k3d,k3s");
        JsonNode object = bom.at("/components/4");
        assertThat(object.path("type").asText()).isEqualTo("data");
        assertThat(object.path("name").asText()).isEqualTo("ClusterIssuer/homestack-ca");
        assertThat(object.at("/hashes/0/content").asText()).hasSize(64);
        assertThat(properties(object)).containsEntry("homestack:environment", "k3d")
                .containsEntry("homestack:apiVersion", "cert-manager.io/v1");
    }

    @Test
    void theSameArtifactGivesTheSameBytes() {
        Map<String, String> files = Map.of(".homestack/bundle.json", BUNDLE_JSON, "k3d/x.yaml", ISSUER);
        byte[] first = Sbom.of(artifact("a", files), "r/homestack/a");
        byte[] second = Sbom.of(artifact("a", files), "r/homestack/a"); // built again, into another directory
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aReleaseSbomNamesEveryBundleByDigestAndTheChartsAndImages() throws Exception {
        byte[] sbom = Sbom.of(artifact("release-k3d", Map.of(".homestack/release.json", RELEASE_JSON)),
                "localhost:5111/homestack/release-k3d");

        assertThat(new JsonParser().validate(sbom, Version.VERSION_16)).isEmpty();
        JsonNode bom = new ObjectMapper().readTree(sbom);
        JsonNode bundle = bom.at("/components/0");
        assertThat(bundle.path("bom-ref").asText()).isEqualTo("bundle:argocd");
        PackageURL purl = new PackageURL(bundle.path("purl").asText());
        assertThat(purl.getVersion()).isEqualTo("sha256:86a12a652dfc59f5880f23c75d7eac93f234f54c25b354a23e13107c59d1c67d");
        assertThat(purl.getQualifiers()).containsEntry("repository_url", "registry.localhost:5111/homestack/argocd");
        assertThat(bundle.at("/hashes/0/content").asText()).startsWith("86a12a65");
        assertThat(properties(bundle)).containsEntry("homestack:wave", "0");
        assertThat(bom.at("/components/1/bom-ref").asText()).isEqualTo("chart:cert-manager@v1.21.2");
        assertThat(bom.at("/components/2/bom-ref").asText())
                .isEqualTo("image:docker.io/bitnami/sealed-secrets-controller:0.40.0");
    }

    @Test
    void anImageSbomNamesTheBaseImagesDebianPackagesItsJavaLibrariesAndEveryLayer() throws Exception {
        Path tarball = io.homestack.bundle.oci.TestImages.write(tmp.resolve("image.tar"),
                "application/vnd.oci.image.config.v1+json", Map.of());
        OciLayout image = io.homestack.bundle.oci.ImageTarball.unpack(tarball, tmp.resolve("image-oci"), "0.1.0", "demo");

        byte[] sbom = Sbom.of(image, "localhost:5111/homestack/demo");

        assertThat(new JsonParser().validate(sbom, Version.VERSION_16)).as("CycloneDX 1.6 schema").isEmpty();
        JsonNode bom = new ObjectMapper().readTree(sbom);
        assertThat(bom.at("/metadata/component/name").asText()).isEqualTo("demo");
        assertThat(new PackageURL(bom.at("/metadata/component/purl").asText()).getVersion()).isEqualTo(image.manifestDigest());
        List<String> refs = new ArrayList<>();
        bom.path("components").forEach(c -> refs.add(c.path("bom-ref").asText()));
        assertThat(refs.subList(0, 4)).containsExactly("deb:libc6@2.36-9+deb12u14", "deb:zlib1g@1:1.2.13.dfsg-1",
                "jar:demo-lib-1.2.3.jar", "jar:plain.jar");
        assertThat(refs.subList(4, refs.size())).as("the layers, sorted by digest").containsExactlyInAnyOrder(
                "layer:" + image.manifest().layers().get(0).digest(), "layer:" + image.manifest().layers().get(1).digest());
        PackageURL library = new PackageURL(bom.at("/components/2/purl").asText());
        assertThat(library.getType()).isEqualTo("maven");
        assertThat(library.getNamespace()).isEqualTo("org.example");
        assertThat(library.getName()).isEqualTo("demo-lib");
        assertThat(library.getVersion()).isEqualTo("1.2.3");
        assertThat(bom.at("/components/2/hashes/0/content").asText()).hasSize(64);
        assertThat(bom.at("/components/3/purl").isMissingNode()).as("a jar without Maven coordinates: no purl").isTrue();
        assertThat(properties(bom.at("/components/3"))).containsEntry("homestack:file", "/app/libs/plain.jar");
        PackageURL zlib = new PackageURL(bom.at("/components/1/purl").asText());
        assertThat(zlib.getType()).isEqualTo("deb");
        assertThat(zlib.getNamespace()).isEqualTo("debian");
        assertThat(zlib.getName()).isEqualTo("zlib1g");
        assertThat(zlib.getVersion()).isEqualTo("1:1.2.13.dfsg-1");
        assertThat(zlib.getQualifiers()).containsEntry("arch", "amd64");
    }

    @Test
    void anArtifactThatIsNeitherBundleNorReleaseIsRefusedByName() {
        OciLayout other = artifact("other", Map.of("README.md", "hi"));
        assertThatThrownBy(() -> Sbom.of(other, "r/x")).isInstanceOf(BundleException.class)
                .hasMessageContaining(other.dir().toString())
                .hasMessageContaining("neither .homestack/bundle.json nor .homestack/release.json");
    }

    @Test
    void anObjectFileThatIsNotAKubernetesObjectIsRefusedByPath() {
        OciLayout broken = artifact("broken", Map.of(".homestack/bundle.json", BUNDLE_JSON, "k3d/x.yaml", "a: 1\n"));
        assertThatThrownBy(() -> Sbom.of(broken, "r/x")).isInstanceOf(BundleException.class)
                .hasMessageContaining("k3d/x.yaml is not a Kubernetes object");
    }

    private OciLayout artifact(String name, Map<String, String> files) {
        try {
            Path tree = tmp.resolve("tree-" + name + "-" + ++built);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path file = tree.resolve(f.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, f.getValue());
            }
            OciLayoutWriter.write(tree, new ArtifactSpec(name, "0.1.0", null, null, null, null),
                    Instant.parse("2020-05-05T10:00:00Z"), tmp.resolve("oci-" + name + "-" + built));
            return OciLayout.read(tmp.resolve("oci-" + name + "-" + built));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> properties(JsonNode component) {
        Map<String, String> properties = new java.util.TreeMap<>();
        component.path("properties").forEach(p -> properties.put(p.path("name").asText(), p.path("value").asText()));
        return properties;
    }
}
