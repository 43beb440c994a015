package io.homestack.clusters.k3d;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The k3d release as rendered: every bundle of the repository that supports k3d, pinned to the digest that was just built. */
class ReleaseK3dTest {

    private static ReleaseManifest manifest;
    /** Bundle name to its module directory, discovered from the bundle.yaml files of the repository. */
    private static Map<String, Path> modules;

    @BeforeAll
    static void load() throws IOException {
        BundleOutput output = BundleOutput.ofModule();
        manifest = ArtifactTreeWriter.JSON.readValue(output.root().resolve(ReleaseManifest.PATH).toFile(),
                ReleaseManifest.class);
        Path root = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().getParent().getParent();
        // the bundles that support k3d (nvidia-device-plugin is k3s only)
        modules = RepositoryBundles.all(root).stream()
                .filter(p -> new BundleDescriptorReader().read(p.resolve(Bundle.DESCRIPTOR)).environments().contains("k3d"))
                .collect(Collectors.toMap(
                p -> new BundleDescriptorReader().read(p.resolve(Bundle.DESCRIPTOR)).name(), p -> p, (a, b) -> a, TreeMap::new));
    }

    @Test
    void containsEveryK3dBundleOfTheRepository() {
        assertThat(modules).as("bundle discovery found nothing").isNotEmpty();
        assertThat(manifest.bundles()).extracting(ReleaseManifest.Bundle::name)
                .containsExactlyInAnyOrderElementsOf(modules.keySet());
    }

    /** The BOM is the other list of every bundle; it must not fall behind the repository either. */
    @Test
    void theBomManagesEveryBundle() throws IOException {
        Path bom = Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().getParent().getParent()
                .resolve("bom/pom.xml");
        String text = Files.readString(bom);
        for (String bundle : modules.keySet()) {
            assertThat(text).as("bom/pom.xml manages bundle " + bundle)
                    .contains("<groupId>io.homestack.bundles</groupId><artifactId>" + bundle + "</artifactId>");
        }
    }

    @Test
    void digestsAreThoseOfTheBuiltArtifacts() {
        for (ReleaseManifest.Bundle bundle : manifest.bundles()) {
            OciLayout built = OciLayout.read(modules.get(bundle.name()).resolve("target/oci"));
            assertThat(bundle.digest()).as(bundle.name() + ": the release must pin the artifact built in "
                    + modules.get(bundle.name()) + "/target/oci (build the release with its bundles: -am)")
                    .isEqualTo(built.manifestDigest());
        }
    }

    @Test
    void applicationsPinTheDigestAndTheK3dPath() {
        for (KubeObject app : BundleOutput.ofModule().objects("k3d", "Application")) {
            Map<String, Object> source = KubeObject.path(app.body(), "spec", "source");
            ReleaseManifest.Bundle bundle = manifest.bundles().stream().filter(b -> b.name().equals(app.name()))
                    .findFirst().orElseThrow();
            assertThat(source).containsEntry("targetRevision", bundle.digest()).containsEntry("path", "k3d")
                    .containsEntry("repoURL", "oci://registry.localhost:5111/homestack/" + app.name());
            assertThat(app.annotations()).containsEntry("argocd.argoproj.io/sync-wave", Integer.toString(bundle.wave()));
        }
    }

    @Test
    void wavesPutEveryBundleAfterWhatItNeeds() {
        Map<String, Integer> waves = manifest.bundles().stream()
                .collect(Collectors.toMap(ReleaseManifest.Bundle::name, ReleaseManifest.Bundle::wave));
        for (ReleaseManifest.Bundle bundle : manifest.bundles()) {
            bundle.dependencies().forEach(dep -> assertThat(waves.get(dep)).as(bundle.name() + " needs " + dep)
                    .isLessThan(bundle.wave()));
        }
    }

    /**
     * A bundle that keeps data in the object store (its render names the object store's Service) syncs after it, so
     * that its bucket is there first. loki and tracing cannot say so with a pom dependency (object-store is k3d-only,
     * and the dependency would put it into the k3s release), so the order they get from their other dependencies is
     * held here.
     */
    @Test
    void everyBundleThatNamesTheObjectStoreSyncsAfterIt() throws IOException {
        Map<String, Integer> waves = manifest.bundles().stream()
                .collect(Collectors.toMap(ReleaseManifest.Bundle::name, ReleaseManifest.Bundle::wave));
        List<String> clients = new ArrayList<>();
        for (String bundle : waves.keySet()) {
            if (!bundle.equals("object-store") && rendersText(bundle, "object-store.object-store.svc")) {
                clients.add(bundle);
            }
        }
        assertThat(clients).as("the object store's S3 clients in the k3d release").contains("velero", "loki", "tracing");
        assertThat(clients).allSatisfy(b -> assertThat(waves.get(b)).as(b + " syncs after object-store")
                .isGreaterThan(waves.get("object-store")));
    }

    private static boolean rendersText(String bundle, String text) throws IOException {
        try (Stream<Path> files = Files.walk(modules.get(bundle).resolve("target/bundle/k3d"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (Files.readString(f).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Argo CD comes first and depends on nothing it deploys, so a change to it is never held up by a broken wave. */
    @Test
    void argoCdIsPartOfTheReleaseAtWaveZero() {
        assertThat(manifest.bundles()).filteredOn(b -> b.name().equals("argocd"))
                .singleElement().satisfies(b -> {
                    assertThat(b.wave()).isZero();
                    assertThat(b.dependencies()).isEmpty();
                });
    }

    /** Every Application of the release and of its bundles names an AppProject that the argocd bundle ships. */
    @Test
    void everyApplicationsProjectIsAnAppProjectOfTheArgocdBundle() {
        BundleOutput argocd = BundleOutput.of(modules.get("argocd").resolve("target/bundle"));
        List<String> projects = argocd.objects("k3d", "AppProject").stream().map(KubeObject::name).toList();
        List<KubeObject> applications = new ArrayList<>(BundleOutput.ofModule().objects("k3d", "Application"));
        modules.values().forEach(dir -> applications.addAll(BundleOutput.of(dir.resolve("target/bundle"))
                .objects("k3d", "Application")));

        assertThat(applications).hasSizeGreaterThan(manifest.bundles().size());
        assertThat(applications).allSatisfy(app -> assertThat(projects).as(app.describe() + " (" + app.source() + ")")
                .contains(KubeObject.string(KubeObject.path(app.body(), "spec").get("project"))));
    }
}
