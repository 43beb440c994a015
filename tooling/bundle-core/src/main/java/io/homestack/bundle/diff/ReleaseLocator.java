package io.homestack.bundle.diff;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.release.BundleArtifactReader;
import io.homestack.bundle.release.ReleaseManifest;
import io.homestack.bundle.render.ArtifactTreeWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a release named the way a user names it:
 * <ul>
 *   <li>a built release module ({@code clusters/k3d}, with {@code target/oci}): its bundles from the {@code target/oci}
 *   of the checkout's modules, then from the local Maven repository, as the release goal reads them;</li>
 *   <li>an OCI image layout directory holding the release and the bundles it pins (e.g. copied into one layout);</li>
 *   <li>a registry reference {@code host[:port]/repository:tag} or {@code ...@sha256:…} (optionally {@code oci://}):
 *   its bundles from the same registry.</li>
 * </ul>
 * A path that exists is always read as a directory, so a relative path never goes to the network.
 */
public final class ReleaseLocator {

    /** host[:port]/path then :tag or @sha256:hex */
    private static final Pattern REFERENCE = Pattern.compile(
            "([A-Za-z0-9.-]+(?::[0-9]+)?)/([a-z0-9._/-]+?)(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,127})|@(sha256:[a-f0-9]{64}))");

    private final Path workingDir;
    private final Path mavenRepository;
    private final String bundleGroupId;
    private final Function<String, RegistryClient> clients;
    private final Path scratch;

    /**
     * @param workingDir      relative paths are resolved against it
     * @param mavenRepository the local Maven repository, or null
     * @param clients         a client for a registry host[:port] (no repository prefix)
     * @param scratch         where registry pulls go (the caller deletes it)
     */
    public ReleaseLocator(Path workingDir, Path mavenRepository, String bundleGroupId,
                          Function<String, RegistryClient> clients, Path scratch) {
        this.workingDir = workingDir;
        this.mavenRepository = mavenRepository;
        this.bundleGroupId = bundleGroupId;
        this.clients = clients;
        this.scratch = scratch;
    }

    public ReleaseArtifact read(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new BundleException("no release named: give a release module or OCI layout directory, or a registry"
                    + " reference host[:port]/repository:tag (or @sha256:…)");
        }
        String ref = reference.strip();
        if (!ref.startsWith("oci://")) {
            Path dir = workingDir.resolve(ref).normalize();
            if (Files.exists(dir)) {
                return fromDirectory(ref, dir);
            }
        }
        Matcher m = REFERENCE.matcher(ref.startsWith("oci://") ? ref.substring("oci://".length()) : ref);
        if (!m.matches()) {
            throw new BundleException("release '" + reference + "': no such directory (in " + workingDir + "), and not a"
                    + " registry reference host[:port]/repository:tag or host[:port]/repository@sha256:<digest>");
        }
        return fromRegistry(reference, m.group(1), m.group(2), m.group(3) != null ? m.group(3) : m.group(4));
    }

    private ReleaseArtifact fromDirectory(String ref, Path dir) {
        if (Files.isRegularFile(dir.resolve("oci-layout"))) {
            OciLayout layout = releaseIn(dir, ref);
            return artifact(ref, layout, List.of(new LayoutStore(List.of(dir), "the OCI layout " + dir)));
        }
        Path built = dir.resolve("target/oci");
        if (Files.isRegularFile(built.resolve("oci-layout"))) {
            Path root = checkoutRoot(dir);
            List<BundleStore> stores = new ArrayList<>();
            stores.add(new LayoutStore(moduleLayouts(root), "the modules' target/oci under " + root));
            if (mavenRepository != null) {
                stores.add(new MavenRepositoryStore(mavenRepository, bundleGroupId));
            }
            return artifact(ref, releaseIn(built, ref), stores);
        }
        throw new BundleException("release '" + ref + "': " + dir + " is not a release: it has no oci-layout (an OCI"
                + " image layout) and no target/oci/oci-layout (a built release module: mvn install -pl <module> -am)");
    }

    private ReleaseArtifact fromRegistry(String ref, String registry, String repository, String reference) {
        RegistryClient client = clients.apply(registry);
        Path dir;
        OciLayout layout;
        try {
            dir = Files.createTempDirectory(Files.createDirectories(scratch), "release");
            layout = client.pull(repository, reference, dir.resolve("release"));
        } catch (IOException e) {
            throw new BundleException("cannot create a directory in " + scratch + ": " + e.getMessage(), e);
        } catch (BundleException e) {
            throw new BundleException("release '" + ref + "': " + e.getMessage(), e);
        }
        return artifact(ref, layout, List.of(new RegistryStore(client, dir.resolve("bundles"))));
    }

    /** The one manifest of the layout whose layer holds release.json (a layout may hold its bundles too). */
    private static OciLayout releaseIn(Path dir, String ref) {
        List<OciLayout> releases = new ArrayList<>();
        for (OciLayout layout : manifests(dir)) {
            if (releaseJson(layout) != null) {
                releases.add(layout);
            }
        }
        if (releases.size() != 1) {
            throw new BundleException("release '" + ref + "': the OCI layout " + dir + " holds " + releases.size()
                    + " release artifacts (with " + ReleaseManifest.PATH + "); expected exactly one");
        }
        return releases.get(0);
    }

    /** Every manifest in the layout's index.json: the only one, or each by its tag. */
    private static List<OciLayout> manifests(Path dir) {
        List<String> tags;
        try {
            var index = ArtifactTreeWriter.JSON.readTree(dir.resolve("index.json").toFile()).path("manifests");
            tags = new ArrayList<>();
            index.forEach(d -> tags.add(d.path("annotations").path("org.opencontainers.image.ref.name").asText(null)));
        } catch (IOException e) {
            throw new BundleException("Invalid OCI image layout " + dir + ": cannot read index.json: " + e.getMessage(), e);
        }
        if (tags.size() <= 1) {
            return List.of(OciLayout.read(dir));
        }
        return tags.stream().filter(t -> t != null).distinct().map(t -> OciLayout.read(dir, t)).toList();
    }

    private static byte[] releaseJson(OciLayout layout) {
        try {
            return BundleArtifactReader.files(layout.layerFile(), ReleaseManifest.PATH::equals).get(ReleaseManifest.PATH);
        } catch (IOException e) {
            throw new BundleException("cannot read " + layout.layerFile() + ": " + e.getMessage(), e);
        }
    }

    private static ReleaseArtifact artifact(String ref, OciLayout layout, List<BundleStore> stores) {
        byte[] json = releaseJson(layout);
        if (json == null) {
            throw new BundleException("release '" + ref + "': " + layout.dir() + " holds an artifact without "
                    + ReleaseManifest.PATH + "; it is a bundle, not a release");
        }
        try {
            return new ReleaseArtifact(ref, layout.manifestDigest(),
                    ArtifactTreeWriter.JSON.readValue(json, ReleaseManifest.class), stores);
        } catch (IOException e) {
            throw new BundleException("release '" + ref + "': " + ReleaseManifest.PATH + " is not a release manifest: "
                    + e.getMessage(), e);
        }
    }

    /** The checkout a module belongs to: the nearest directory above it whose pom.xml lists modules. */
    private static Path checkoutRoot(Path module) {
        for (Path p = module.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            try {
                if (Files.isRegularFile(p.resolve("pom.xml")) && Files.readString(p.resolve("pom.xml")).contains("<modules>")) {
                    return p;
                }
            } catch (IOException e) {
                throw new BundleException("cannot read " + p.resolve("pom.xml") + ": " + e.getMessage(), e);
            }
        }
        throw new BundleException(module + " is a built release module in no Maven checkout (no pom.xml with"
                + " <modules> above it), so its bundles cannot be found");
    }

    /** <root>/<area>/<module>/target/oci, as the bundles are laid out (platform/, apps/, observability/, ...). */
    private static List<Path> moduleLayouts(Path root) {
        try (Stream<Path> dirs = Files.find(root, 4, (p, a) -> a.isDirectory() && p.endsWith("target/oci"))) {
            return dirs.filter(p -> Files.isRegularFile(p.resolve("oci-layout"))).sorted().toList();
        } catch (IOException e) {
            throw new BundleException("cannot list the modules of " + root + ": " + e.getMessage(), e);
        }
    }
}
