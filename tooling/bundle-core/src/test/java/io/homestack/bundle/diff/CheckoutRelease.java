package io.homestack.bundle.diff;

import io.homestack.bundle.BundleLog;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.oci.ArtifactSpec;
import io.homestack.bundle.oci.OciLayoutWriter;
import io.homestack.bundle.release.BundleArtifactReader;
import io.homestack.bundle.release.ReleaseComposer;
import io.homestack.bundle.release.ReleaseManifest;
import io.homestack.bundle.release.ReleaseSpec;
import io.homestack.bundle.release.ReleasedBundle;
import io.homestack.bundle.render.ArtifactTreeWriter;
import io.homestack.bundle.render.BundleMetadata;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.render.RenderedBundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The repository's real k3d release built in a copy of the checkout, the way the Maven goals build it (the library
 * calls of homestack:render, package and release): every bundle the release module depends on (its pom, then each
 * bundle's pom, transitively) rendered into {@code <module>/target/oci}, the release into
 * {@code clusters/k3d/target/oci}. An edit to the copy before the build gives the next release. it-tests' NextRelease
 * copies and edits the checkout with {@link #copy} and {@link #replace}.
 */
public final class CheckoutRelease {

    static final String VERSION = "1.0.0";
    static final String MODULE = "clusters/k3d";
    private static final Instant TIMESTAMP = Instant.parse("2026-01-01T00:00:00Z");
    private static final Pattern BUNDLE_DEPENDENCY = Pattern.compile(
            "<groupId>io\\.homestack\\.bundles</groupId>\\s*<artifactId>([a-z0-9-]+)</artifactId>");
    /** A commented-out dependency is not one: comments go before the dependency pattern is applied. */
    private static final Pattern XML_COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);

    private CheckoutRelease() {
    }

    /** The repository this test runs in: the directory above the module that has the k3d release module. */
    static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(MODULE).resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no " + MODULE + " above " + Path.of("").toAbsolutePath());
    }

    /** Copies the sources of the checkout (no .git, .preview or other dot-directories, no tooling/, no build output). */
    public static Path copy(Path repository, Path copy) {
        try (Stream<Path> files = Files.walk(repository)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = repository.relativize(f);
                if (rel.getName(0).toString().startsWith(".") || rel.getName(0).toString().equals("tooling")
                        || Stream.of(rel.toString().split("/")).anyMatch(s -> s.equals("target"))) {
                    continue;
                }
                Files.createDirectories(copy.resolve(rel).getParent());
                Files.copy(f, copy.resolve(rel), StandardCopyOption.COPY_ATTRIBUTES);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + repository + " to " + copy, e);
        }
    }

    /** Builds the k3d release of the checkout at {@code root}; returns the release module directory. */
    static Path build(Path root) {
        Map<String, Path> modules = bundleModules(root);
        Set<String> members = new LinkedHashSet<>();
        collect(root.resolve(MODULE), modules, members);
        List<ReleasedBundle> bundles = new ArrayList<>();
        for (String name : members) {
            Path module = modules.get(name);
            Path target = module.resolve("target");
            RenderedBundle rendered = new BundleRenderer(BundleLog.SILENT).render(Bundle.load(module),
                    target.resolve("homestack"));
            List<BundleMetadata.Dependency> deps = dependencies(module.resolve("pom.xml")).stream()
                    .map(d -> new BundleMetadata.Dependency(d, VERSION)).toList();
            new ArtifactTreeWriter().write(rendered, BundleMetadata.of(rendered, VERSION, deps), target.resolve("bundle"));
            var artifact = OciLayoutWriter.write(target.resolve("bundle"), new ArtifactSpec(name, VERSION,
                    "https://example.test/homestack", null, name, VERSION), TIMESTAMP, target.resolve("oci"));
            bundles.add(new BundleArtifactReader().read(artifact.manifestBytes(), artifact.layerFile(), name));
        }
        ReleaseSpec spec = new ReleaseSpec("release-k3d", VERSION, "k3d", "registry.localhost:5111", "homestack");
        ReleaseComposer.Release release = new ReleaseComposer().compose(spec, bundles);
        Path target = root.resolve(MODULE).resolve("target");
        new ArtifactTreeWriter().write(spec.name(), Map.of(ReleaseManifest.PATH, release.manifest()),
                Map.of(spec.environment(), release.objects()), target.resolve("bundle"));
        OciLayoutWriter.write(target.resolve("bundle"), new ArtifactSpec(spec.name(), VERSION,
                "https://example.test/homestack", null, "k3d", VERSION), TIMESTAMP, target.resolve("oci"));
        return root.resolve(MODULE);
    }

    /** Every bundle module (a directory with bundle.yaml two levels down) by name. */
    private static Map<String, Path> bundleModules(Path root) {
        try (Stream<Path> files = Files.find(root, 3, (p, a) -> p.getFileName().toString().equals("bundle.yaml"))) {
            Map<String, Path> modules = new TreeMap<>();
            files.forEach(f -> modules.put(f.getParent().getFileName().toString(), f.getParent()));
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(Path module, Map<String, Path> modules, Set<String> members) {
        for (String d : dependencies(module.resolve("pom.xml"))) {
            if (!modules.containsKey(d)) {
                throw new IllegalStateException(module + "/pom.xml depends on bundle " + d + ", not in " + modules.keySet());
            }
            if (members.add(d)) {
                collect(modules.get(d), modules, members);
            }
        }
    }

    private static List<String> dependencies(Path pom) {
        try {
            Matcher m = BUNDLE_DEPENDENCY.matcher(XML_COMMENT.matcher(Files.readString(pom)).replaceAll(""));
            List<String> names = new ArrayList<>();
            while (m.find()) {
                if (!m.group(1).equals("bundle-parent")) {
                    names.add(m.group(1));
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces text in one file, failing when the text is not there (the edit must change something). */
    public static void replace(Path file, String from, String to) {
        try {
            String text = Files.readString(file);
            if (!text.contains(from)) {
                throw new IllegalStateException(file + " no longer contains '" + from + "': update the test");
            }
            Files.writeString(file, text.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
