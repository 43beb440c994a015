package io.homestack.bundle.test.release;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.test.RepositoryBundles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A release aggregator's build output ({@code clusters/<environment>}, built by {@code mvn install}) and the bundles of
 * the same checkout: what the release harness pushes.
 *
 * @param repo        the repository checkout
 * @param dir         the release module, e.g. {@code <repo>/clusters/k3d}
 * @param environment the module's directory name, e.g. {@code k3d}
 */
public record ReleaseModule(Path repo, Path dir, String environment) {

    /** The release module at {@code module} (relative to {@code repo}); fails naming what is not built. */
    public static ReleaseModule of(Path repo, String module) {
        Path dir = repo.resolve(module).toAbsolutePath().normalize();
        ReleaseModule release = new ReleaseModule(repo, dir, dir.getFileName().toString());
        for (Path built : List.of(release.oci(), release.rootApplicationFile(), release.manifest())) {
            if (!Files.exists(built)) {
                throw new IllegalStateException("release " + module + " is not built: no " + built + " (mvn install -pl "
                        + module + " -am -DskipTests)");
            }
        }
        return release;
    }

    /** The release artifact's repository name, e.g. {@code release-k3d}. */
    public String name() {
        return "release-" + environment;
    }

    /** The release's OCI image layout. */
    public Path oci() {
        return dir.resolve("target/oci");
    }

    /** The root Application (app-of-apps) and repository Secret the release build emits. */
    public Path rootApplicationFile() {
        return dir.resolve("target/root-application-" + environment + ".yaml");
    }

    /** The release manifest: every bundle with its digest and wave, the charts and images. */
    public Path manifest() {
        return dir.resolve("target/bundle/.homestack/release.json");
    }

    /** Each bundle of the release with its sync wave (the release manifest, release.json), by name. */
    public Map<String, Integer> waves() {
        Path file = manifest();
        Map<String, Integer> waves = new TreeMap<>();
        try {
            for (Object b : KubeObject.list(Yaml.readMap(Files.readString(file), file.toString()).get("bundles"))) {
                Map<String, Object> bundle = KubeObject.map(b);
                waves.put(KubeObject.string(bundle.get("name")), Integer.parseInt(String.valueOf(bundle.get("wave"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return waves;
    }

    /**
     * The bundle modules of the checkout that this release pins (by name, release.json) and that have an OCI layout
     * (target/oci), sorted. Not every bundle: a k3s-only bundle is in no k3d release.
     */
    public List<Path> bundleModules() {
        Map<String, Integer> pinned = waves();
        return RepositoryBundles.all(repo).stream().filter(d -> pinned.containsKey(d.getFileName().toString()))
                .filter(d -> Files.isDirectory(d.resolve("target/oci"))).toList();
    }
}
