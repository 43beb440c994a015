package io.homestack.clusters.k3s;

import io.homestack.bundle.inventory.Inventory;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.BundleDescriptorReader;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.release.ReleaseManifest;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.RepositoryBundles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3s release as built: every bundle of the repository that supports k3s except media (k3d-only until its Secrets
 * are sealed for the home cluster's key: apps/media/bundle.yaml), pinned to the digests just built, pulled from the
 * registry the inventory names (the root Application that deploys it: RootApplicationK3sIT, after package).
 */
class ReleaseK3sTest {

    /** Bundles that support k3s but are left out, with the reason in clusters/k3s/pom.xml. */
    static final Set<String> NOT_YET = Set.of("media");

    static final Path MODULE = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize();
    static final Path ROOT = MODULE.getParent().getParent();

    private static ReleaseManifest manifest;
    private static Map<String, Path> k3sModules;
    private static String registry;

    @BeforeAll
    static void load() throws IOException {
        manifest = ArtifactTreeWriter.JSON.readValue(BundleOutput.ofModule().root().resolve(ReleaseManifest.PATH).toFile(),
                ReleaseManifest.class);
        k3sModules = RepositoryBundles.all(ROOT).stream()
                .filter(p -> new BundleDescriptorReader().read(p.resolve(Bundle.DESCRIPTOR)).environments().contains("k3s"))
                .collect(Collectors.toMap(p -> new BundleDescriptorReader().read(p.resolve(Bundle.DESCRIPTOR)).name(),
                        p -> p, (a, b) -> a, TreeMap::new));
        registry = Inventory.read(MODULE.resolve("inventory.yaml")).requireRegistry();
    }

    @Test
    void containsEveryK3sBundleButThoseNotReadyYet() {
        assertThat(k3sModules).containsKeys("storage", "nvidia-device-plugin");
        assertThat(manifest.bundles()).extracting(ReleaseManifest.Bundle::name)
                .containsExactlyInAnyOrderElementsOf(k3sModules.keySet().stream().filter(n -> !NOT_YET.contains(n)).toList())
                .doesNotContain("media");
    }

    @Test
    void theBomManagesEveryK3sBundle() throws IOException {
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
        k3sModules.keySet().forEach(b -> assertThat(bom).as("bom/pom.xml manages " + b)
                .contains("<groupId>io.homestack.bundles</groupId><artifactId>" + b + "</artifactId>"));
    }

    @Test
    void applicationsPinTheBuiltDigestsFromTheInventorysRegistry() {
        List<KubeObject> apps = BundleOutput.ofModule().objects("k3s", "Application");
        assertThat(apps).hasSameSizeAs(manifest.bundles());
        for (KubeObject app : apps) {
            ReleaseManifest.Bundle bundle = manifest.bundles().stream().filter(b -> b.name().equals(app.name()))
                    .findFirst().orElseThrow();
            String built = OciLayout.read(k3sModules.get(bundle.name()).resolve("target/oci")).manifestDigest();
            assertThat(KubeObject.path(app.body(), "spec", "source")).containsEntry("targetRevision", built)
                    .containsEntry("path", "k3s").containsEntry("repoURL", "oci://" + registry + "/homestack/" + app.name());
        }
    }
}
