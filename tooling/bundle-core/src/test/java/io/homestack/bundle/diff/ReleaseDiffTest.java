package io.homestack.bundle.diff;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.diff.ReleaseDiff.Change;
import io.homestack.bundle.diff.ReleaseDiff.ChartChange;
import io.homestack.bundle.diff.ReleaseDiff.FieldChange;
import io.homestack.bundle.diff.ReleaseDiff.ObjectChange;
import io.homestack.bundle.diff.ReleaseDiff.RenderChange;
import io.homestack.bundle.oci.Digests;
import io.homestack.bundle.oci.LocalRegistry;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.oci.RegistryTarget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The repository's real k3d release built twice, the second time with three edits: media's TZ (a value), the
 * sealed-secrets chart version, and nzbget's ServiceMonitor dropped from media's kustomization. The diff names
 * exactly those, read from the local build, from an OCI layout and from a registry.
 */
class ReleaseDiffTest {

    @TempDir
    static Path work;
    static Path before;
    static Path after;

    @BeforeAll
    static void buildTwice() {
        Path repo = CheckoutRelease.repository();
        before = CheckoutRelease.build(CheckoutRelease.copy(repo, work.resolve("before")));
        Path next = CheckoutRelease.copy(repo, work.resolve("after"));
        CheckoutRelease.replace(next.resolve("apps/media/manifests/base/kustomization.yaml"), "TZ=Etc/UTC",
                "TZ=Europe/Berlin");
        CheckoutRelease.replace(next.resolve("platform/sealed-secrets/bundle.yaml"), "version: 2.19.3",
                "version: 2.19.4");
        CheckoutRelease.replace(next.resolve("apps/media/manifests/base/nzbget/kustomization.yaml"),
                "  - servicemonitor.yaml\n", "");
        after = CheckoutRelease.build(next);
    }

    private static ReleaseLocator locator(Path scratch) {
        return new ReleaseLocator(work, null, "io.homestack.bundles",
                registry -> RegistryClient.builder(RegistryTarget.plainHttp(registry, "")).build(), scratch);
    }

    /** Every change the three edits make, and nothing else. */
    static void assertExactlyTheThreeEdits(ReleaseDiff diff) {
        assertThat(diff.bundles()).extracting(b -> b.name() + " " + b.change() + " " + b.oldVersion() + " → " + b.newVersion())
                .containsExactly("media CHANGED 1.0.0 → 1.0.0", "sealed-secrets CHANGED 1.0.0 → 1.0.0");
        diff.bundles().forEach(b -> assertThat(b.oldDigest()).startsWith("sha256:").isNotEqualTo(b.newDigest()));
        assertThat(diff.charts()).containsExactly(new ChartChange("sealed-secrets", "sealed-secrets", Change.CHANGED,
                "sealed-secrets 2.19.3 (https://bitnami.github.io/sealed-secrets)",
                "sealed-secrets 2.19.4 (https://bitnami.github.io/sealed-secrets)"));
        assertThat(diff.images()).isEmpty();

        assertThat(diff.renders()).extracting(r -> r.bundle() + "/" + r.environment())
                .containsExactly("media/k3d", "sealed-secrets/k3d", "sealed-secrets/k3s");
        List<ObjectChange> media = diff.renders().get(0).objects();
        assertThat(media).extracting(o -> o.change() + " " + o.key().replaceAll("media-env-[a-z0-9]{10}", "media-env-*"))
                .containsExactly(
                        "CHANGED apps/v1 Deployment media/nzbget",
                        "CHANGED apps/v1 Deployment media/prowlarr",
                        "CHANGED apps/v1 Deployment media/radarr",
                        "CHANGED apps/v1 Deployment media/sonarr",
                        "REMOVED monitoring.coreos.com/v1 ServiceMonitor media/nzbget",
                        "CHANGED v1 ConfigMap media/media-env-* → media-env-*");
        ObjectChange configMap = media.get(5);
        String oldName = GeneratedNames.name(configMap.key().substring(0, configMap.key().indexOf(" → ")));
        String newName = configMap.key().substring(configMap.key().indexOf(" → ") + 3);
        assertThat(configMap.fields()).containsExactly(
                new FieldChange("data.TZ", "Etc/UTC", "Europe/Berlin"),
                new FieldChange("metadata.name", oldName, newName));
        for (String app : List.of("nzbget", "radarr", "sonarr")) {
            assertThat(media.stream().filter(o -> o.key().equals("apps/v1 Deployment media/" + app)).findFirst()
                    .orElseThrow().fields()).containsExactly(new FieldChange(
                    "spec.template.spec.containers[name=" + app + "].envFrom[0].configMapRef.name", oldName, newName));
        }
        for (RenderChange sealedSecrets : diff.renders().subList(1, 3)) {
            assertThat(sealedSecrets.objects()).containsExactly(new ObjectChange(
                    "argoproj.io/v1alpha1 Application argocd/sealed-secrets-sealed-secrets", Change.CHANGED,
                    List.of(new FieldChange("spec.source.targetRevision", "2.19.3", "2.19.4"))));
        }
    }

    @Test
    void fromTheLocalBuildTheDiffNamesExactlyTheThreeEdits(@TempDir Path scratch) {
        ReleaseLocator locator = locator(scratch);
        ReleaseDiff diff = new ReleaseDiffer().diff(locator.read(before.toString()), locator.read(after.toString()));

        assertExactlyTheThreeEdits(diff);
        String report = DiffReport.markdown(diff);
        System.out.println(report);
        assertThat(report).contains("- changed sealed-secrets/sealed-secrets: sealed-secrets 2.19.3 (", "→ sealed-secrets 2.19.4 (")
                .contains("- removed monitoring.coreos.com/v1 ServiceMonitor media/nzbget\n")
                .contains("@@ data.TZ\n- Etc/UTC\n+ Europe/Berlin\n")
                .contains("@@ spec.source.targetRevision\n- 2.19.3\n+ 2.19.4\n");
    }

    @Test
    void fromAModuleWhoseBundlesAreInTheLocalMavenRepository(@TempDir Path scratch) throws IOException {
        // A checkout with only the release module built; the bundles installed as the package goal installs them.
        Path checkout = scratch.resolve("checkout");
        Files.createDirectories(checkout);
        Files.writeString(checkout.resolve("pom.xml"), "<project><modules><module>clusters/k3d</module></modules></project>\n");
        copyTree(before.resolve("target/oci"), checkout.resolve("clusters/k3d/target/oci"));
        Path m2 = scratch.resolve("m2");
        for (Path layout : bundleLayouts(before)) {
            OciLayout bundle = OciLayout.read(layout);
            String name = layout.getParent().getParent().getFileName().toString();
            Path dir = Files.createDirectories(m2.resolve("io/homestack/bundles").resolve(name).resolve("1.0.0"));
            Files.write(dir.resolve(name + "-1.0.0-oci-manifest.json"), bundle.manifestBytes());
            Files.copy(bundle.layerFile(), dir.resolve(name + "-1.0.0.tar.gz"));
        }
        ReleaseLocator locator = new ReleaseLocator(scratch, m2, "io.homestack.bundles", r -> {
            throw new AssertionError("no registry here");
        }, scratch.resolve("pulls"));

        assertExactlyTheThreeEdits(new ReleaseDiffer().diff(locator.read("checkout/clusters/k3d"),
                locator.read(after.toString())));

        // Another build of the same version installed there: not the artifact the release pins, so not used.
        Files.copy(after.resolve("../../apps/media/target/oci/blobs/sha256")
                        .resolve(Digests.hex(OciLayout.read(after.resolve("../../apps/media/target/oci")).manifestDigest())),
                m2.resolve("io/homestack/bundles/media/1.0.0/media-1.0.0-oci-manifest.json"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> new ReleaseDiffer().diff(locator.read("checkout/clusters/k3d"), locator.read(after.toString())))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("bundle media 1.0.0 (sha256:")
                .hasMessageContaining("the local Maven repository " + m2);
    }

    @Test
    void aReleaseComparedWithItselfHasNoChanges(@TempDir Path scratch) {
        ReleaseLocator locator = locator(scratch);
        ReleaseDiff diff = new ReleaseDiffer().diff(locator.read(after.toString()), locator.read(after.toString()));

        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.renders()).isEmpty();
        assertThat(DiffReport.markdown(diff)).contains("No changes");
    }

    @Test
    void fromOciLayoutsHoldingTheReleaseAndItsBundles(@TempDir Path scratch) throws IOException {
        Path from = layoutWithBundles(before, scratch.resolve("from"));
        Path to = layoutWithBundles(after, scratch.resolve("to"));
        ReleaseLocator locator = locator(scratch.resolve("pulls"));

        ReleaseDiff diff = new ReleaseDiffer().diff(locator.read(from.toString()), locator.read(to.toString()));

        assertExactlyTheThreeEdits(diff);
    }

    @Test
    void fromARegistryByTagAndByDigest(@TempDir Path scratch) {
        try (LocalRegistry registry = LocalRegistry.start()) {
            RegistryClient client = RegistryClient.builder(registry.target("homestack")).build();
            push(client, before, "1.0.0");
            String toDigest = push(client, after, "1.0.1");
            ReleaseLocator locator = locator(scratch);

            ReleaseDiff diff = new ReleaseDiffer().diff(
                    locator.read(registry.address() + "/homestack/release-k3d:1.0.0"),
                    locator.read("oci://" + registry.address() + "/homestack/release-k3d@" + toDigest));

            assertExactlyTheThreeEdits(diff);
            assertThat(diff.to()).isEqualTo("release-k3d 1.0.0 (" + toDigest + ")");

            assertThatThrownBy(() -> locator.read(registry.address() + "/homestack/release-k3d:9.9.9"))
                    .isInstanceOf(BundleException.class)
                    .hasMessageContaining("release '" + registry.address() + "/homestack/release-k3d:9.9.9'");
        }
    }

    @Test
    void somethingThatIsNotAReleaseFailsNamingIt(@TempDir Path scratch) throws IOException {
        ReleaseLocator locator = locator(scratch);
        Path empty = Files.createDirectories(scratch.resolve("empty"));
        assertThatThrownBy(() -> locator.read(empty.toString())).isInstanceOf(BundleException.class)
                .hasMessageContaining(empty + " is not a release: it has no oci-layout");
        Path bundle = before.resolve("../../apps/media/target/oci").normalize();
        assertThatThrownBy(() -> locator.read(bundle.toString())).isInstanceOf(BundleException.class)
                .hasMessageContaining("the OCI layout " + bundle + " holds 0 release artifacts");
        assertThatThrownBy(() -> locator.read("no/such/release")).isInstanceOf(BundleException.class)
                .hasMessageContaining("release 'no/such/release': no such directory");
        // A release layout without the bundles it pins: the diff names the first changed bundle it cannot find.
        Path alone = before.resolve("target/oci");
        assertThatThrownBy(() -> new ReleaseDiffer().diff(locator.read(alone.toString()), locator.read(after.toString())))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("release '" + alone + "': bundle media 1.0.0 (sha256:")
                .hasMessageContaining("is in none of [the OCI layout " + alone + "]");
    }

    /** The release's layout with every bundle's blobs copied in: what copying the release and its bundles gives. */
    private static Path layoutWithBundles(Path module, Path dir) throws IOException {
        copyTree(module.resolve("target/oci"), dir);
        for (Path layout : bundleLayouts(module)) {
            copyTree(layout.resolve("blobs"), dir.resolve("blobs"));
        }
        return dir;
    }

    /** The target/oci of every bundle the build of {@code module} made. */
    private static List<Path> bundleLayouts(Path module) {
        try (Stream<Path> layouts = Files.find(module.resolve("../..").normalize(), 4, (p, a) -> p.endsWith("target/oci"))) {
            return layouts.filter(p -> !p.startsWith(module)).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Pushes the bundles of the build and its release (tagged {@code tag}); the release's digest. */
    private static String push(RegistryClient client, Path module, String tag) {
        for (Path layout : bundleLayouts(module)) {
            client.push(OciLayout.read(layout), layout.getParent().getParent().getFileName().toString());
        }
        return client.push(OciLayout.read(module.resolve("target/oci")), "release-k3d", tag).digest();
    }
}
