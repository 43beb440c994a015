package io.homestack.it;

import io.homestack.bundle.BundleLog;
import io.homestack.bundle.diff.CheckoutRelease;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.oci.Annotations;
import io.homestack.bundle.oci.ArtifactSpec;
import io.homestack.bundle.oci.OciArtifact;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.OciLayoutWriter;
import io.homestack.bundle.release.BundleArtifactReader;
import io.homestack.bundle.release.ReleaseComposer;
import io.homestack.bundle.release.ReleaseManifest;
import io.homestack.bundle.release.ReleaseSpec;
import io.homestack.bundle.release.ReleasedBundle;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.render.BundleMetadata;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.render.ComponentImages;
import io.homestack.bundle.render.RenderedBundle;
import io.homestack.bundle.test.release.ReleaseModule;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The next release, built the way the Maven goals build one (render, package, compose: the library calls of
 * homestack:render, homestack:package and homestack:release) from a copy of the repository with one edit in one
 * bundle. Every other bundle is the artifact the reactor built (its {@code target/oci}), and the version stays the
 * same, as on the next commit of main: so only the edited bundle's digest changes, which is what decides which
 * Applications Argo CD re-syncs (docs/releases.md).
 */
final class NextRelease {

    /** The edited bundle and the release that pins it, as OCI layouts ready to push. */
    record Built(OciLayout bundle, OciLayout release) {
    }

    private NextRelease() {
    }

    /**
     * @param release      the release module (the repository and every module in it built: target/oci, target/bundle)
     * @param bundleModule the module to edit, relative to the repository, e.g. apps/media
     * @param edit         changes the copy of the repository (its root is passed)
     */
    /**
     * The images of the Java components in the bundle's module directory (apps/media/nzbget-exporter), as the reactor
     * built them, for the render's digest pins (homestack:render takes them from the bundle's dependencies on their
     * image manifests).
     */
    static List<ComponentImages.Built> components(Path bundleModule) {
        List<ComponentImages.Built> built = new ArrayList<>();
        try (var children = Files.list(bundleModule)) {
            for (Path dir : children.sorted().toList()) {
                Path pom = dir.resolve("pom.xml");
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>component-parent</artifactId>")) {
                    built.add(new ComponentImages.Built(dir.getFileName().toString(),
                            OciLayout.read(dir.resolve("target/oci")).manifestDigest(), dir.resolve("target/oci").toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return built;
    }

    static Built build(ReleaseModule release, Path bundleModule, Path work, Consumer<Path> edit) {
        Path root = release.repo();
        Path copy = work.resolve("src");
        CheckoutRelease.copy(root, copy);
        edit.accept(copy);

        OciLayout original = OciLayout.read(root.resolve(bundleModule).resolve("target/oci"));
        Map<String, String> annotations = original.manifest().annotations();
        String name = annotations.get(Annotations.TITLE);
        String version = annotations.get(Annotations.VERSION);
        BundleMetadata before = readJson(root.resolve(bundleModule).resolve("target/bundle").resolve(BundleMetadata.PATH),
                BundleMetadata.class);
        RenderedBundle rendered = new BundleRenderer(BundleLog.SILENT).render(Bundle.load(copy.resolve(bundleModule)),
                work.resolve("render"));
        ComponentImages.pin(rendered, components(root.resolve(bundleModule)));
        Path tree = work.resolve("bundle");
        new ArtifactTreeWriter().write(rendered, BundleMetadata.of(rendered, version, before.dependencies()), tree);
        OciArtifact bundle = OciLayoutWriter.write(tree, new ArtifactSpec(name, version, annotations.get(Annotations.SOURCE),
                null, annotations.get(Annotations.DESCRIPTION), null), mtime(original), work.resolve("bundle-oci"));

        List<ReleasedBundle> bundles = new ArrayList<>();
        for (Path module : release.bundleModules()) {
            OciLayout layout = module.equals(root.resolve(bundleModule)) ? OciLayout.read(work.resolve("bundle-oci"))
                    : OciLayout.read(module.resolve("target/oci"));
            bundles.add(new BundleArtifactReader().read(layout.manifestBytes(), layout.layerFile(), layout.dir().toString()));
        }
        ReleaseManifest current = readJson(release.manifest(), ReleaseManifest.class);
        OciLayout releaseLayout = OciLayout.read(release.oci());
        Map<String, String> releaseAnnotations = releaseLayout.manifest().annotations();
        // oci://<pullRegistry>/<prefix>/<bundle>, as the release build wrote it for its first bundle
        ReleaseManifest.Bundle first = current.bundles().get(0);
        String repository = first.repository().substring("oci://".length(),
                first.repository().length() - first.name().length() - 1);
        int slash = repository.indexOf('/');
        ReleaseSpec spec = new ReleaseSpec(current.name(), current.version(), current.environment(),
                slash < 0 ? repository : repository.substring(0, slash), slash < 0 ? "" : repository.substring(slash + 1));
        ReleaseComposer.Release composed = new ReleaseComposer().compose(spec, bundles);
        Path releaseTree = work.resolve("release");
        new ArtifactTreeWriter().write(spec.name(), Map.of(ReleaseManifest.PATH, composed.manifest()),
                Map.of(spec.environment(), composed.objects()), releaseTree);
        OciLayoutWriter.write(releaseTree, new ArtifactSpec(spec.name(), spec.version(),
                releaseAnnotations.get(Annotations.SOURCE), null, releaseAnnotations.get(Annotations.DESCRIPTION), null),
                mtime(releaseLayout), work.resolve("release-oci"));
        return new Built(OciLayout.read(work.resolve("bundle-oci")), OciLayout.read(work.resolve("release-oci")));
    }

    /** The entry time the build gave the layer (project.build.outputTimestamp), so equal content gives equal digests. */
    private static Instant mtime(OciLayout layout) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(layout.layerFile()));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry first = tar.getNextEntry();
            if (first == null) {
                throw new IllegalStateException(layout.layerFile() + " is empty");
            }
            return first.getModTime().toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + layout.layerFile(), e);
        }
    }

    private static <T> T readJson(Path file, Class<T> type) {
        try {
            return ArtifactTreeWriter.JSON.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (build the reactor first: mvn install)", e);
        }
    }

    /** Replaces text in one file of the copy, failing when the text is not there (the edit must change something). */
    static void replace(Path file, String from, String to) {
        CheckoutRelease.replace(file, from, to);
    }
}
