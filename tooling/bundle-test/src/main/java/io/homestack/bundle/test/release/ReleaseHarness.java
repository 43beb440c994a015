package io.homestack.bundle.test.release;

import io.homestack.bundle.BundleLog;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.mirror.ChartMirror;
import io.homestack.bundle.mirror.MirrorReport;
import io.homestack.bundle.mirror.MirrorSpec;
import io.homestack.bundle.mirror.MissingPolicy;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.RegistryClient;
import io.homestack.bundle.oci.RegistryTarget;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A release brought to an Argo CD on this machine, as a user would with an air-gapped homelab: every bundle and the
 * release pushed to a plain-HTTP registry on loopback ({@code homestack/}, as {@code make push} does), the charts that
 * can be had here mirrored into it ({@link ChartMirror}, the library behind {@code homestack:mirror}) with a relocated
 * release ({@code homestack-mirror/}), and the release build's own root Application applied, pointed at it. The
 * release E2E ({@code ReleaseSyncIT}) and {@code make preview} both run it.
 *
 * <pre>{@code
 * ReleaseHarness release = new ReleaseHarness(ReleaseModule.of(repo, "clusters/k3d"), registry.address(), work);
 * MirrorReport mirror = release.mirror(release.push());
 * release.applyRoot(cluster, "release-k3d", mirror.release().digest());
 * }</pre>
 */
public final class ReleaseHarness {

    public static final String PREFIX = "homestack";
    public static final String MIRROR_PREFIX = "homestack-mirror";

    private final ReleaseModule release;
    private final String registry;
    private final Path mirrorDir;

    /**
     * @param registry the registry's {@code host:port} on loopback, plain HTTP (Argo CD pulls from the same address)
     * @param workDir  where the mirror writes its layouts, report and repository Secret
     */
    public ReleaseHarness(ReleaseModule release, String registry, Path workDir) {
        this.release = release;
        this.registry = registry;
        this.mirrorDir = workDir.resolve("mirror");
    }

    /** Pushes every bundle and the release; returns the release's digest. */
    public String push() {
        Map<String, OciLayout> bundles = new LinkedHashMap<>();
        for (Path module : release.bundleModules()) {
            bundles.put(module.getFileName().toString(), OciLayout.read(module.resolve("target/oci")));
        }
        return push(bundles, OciLayout.read(release.oci()));
    }

    /** Pushes these bundles (by name) and then a release of this module built elsewhere; returns its digest. */
    public String push(Map<String, OciLayout> bundles, OciLayout releaseLayout) {
        RegistryClient client = RegistryClient.builder(target(PREFIX)).build();
        bundles.forEach((name, layout) -> client.push(layout, name));
        return client.push(releaseLayout, release.name()).digest();
    }

    /**
     * Mirrors the charts and Git sources of the pushed release and pushes the relocated release; the mirror's report.
     * Policy omit: the Applications of charts that cannot be had here leave the relocated release (the report lists
     * them), so the rest of their bundles and waves can sync.
     */
    public MirrorReport mirror(String releaseDigest) {
        MirrorSpec spec = new MirrorSpec(target(""), PREFIX + "/" + release.name(), releaseDigest,
                target(MIRROR_PREFIX), registry, List.of(cacheDirectory("charts", "charts.sh")),
                List.of(cacheDirectory("sources", "sources.sh")), MissingPolicy.OMIT, mirrorDir);
        return new ChartMirror(spec, RegistryClient.builder(target("")).build(),
                RegistryClient.builder(target(MIRROR_PREFIX)).build(), BundleLog.SILENT).run();
    }

    /** Applies the mirror's chart repository Secret and the root Application pinned to the relocated release. */
    public void applyRoot(TestCluster cluster, String name, String relocatedDigest) {
        cluster.apply("mirror repository", read(mirrorDir.resolve(ChartMirror.REPOSITORY_SECRET)));
        cluster.apply("root Application", rootApplication(name, relocatedDigest));
    }

    /** The release build's root Application and repo-creds template, pointed at the relocated release here. */
    public List<KubeObject> rootApplication(String name, String digest) {
        List<KubeObject> out = new ArrayList<>();
        for (KubeObject o : read(release.rootApplicationFile())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) KubeObject.deepCopy(o.body());
            if ("Application".equals(o.kind())) {
                KubeObject.path(body, "metadata").put("name", name);
                Map<String, Object> source = KubeObject.path(body, "spec", "source");
                source.put("repoURL", "oci://" + registry + "/" + MIRROR_PREFIX + "/" + release.name());
                source.put("targetRevision", digest);
            } else {
                Map<String, Object> data = KubeObject.path(body, "stringData");
                data.put("url", "oci://" + registry + "/" + MIRROR_PREFIX);
                data.put("insecureOCIForceHttp", "true");
            }
            out.add(new KubeObject(body, o.source()));
        }
        return out;
    }

    public ReleaseModule release() {
        return release;
    }

    /**
     * The upstream charts ({@code charts.sh}) or Git sources ({@code sources.sh}) that can be had here, in the test
     * binaries' cache; a missing directory is a missing test tool.
     */
    public static Path cacheDirectory(String name, String script) {
        Path dir = TestBinaries.locate().dir().resolve(name);
        if (!Files.isDirectory(dir)) {
            throw TestTools.missing("no " + name + " directory " + dir + ": run tooling/k8s-test-binaries/" + script);
        }
        return dir;
    }

    private RegistryTarget target(String prefix) {
        return RegistryTarget.plainHttp(registry, prefix);
    }

    private static List<KubeObject> read(Path file) {
        try {
            List<KubeObject> objects = new ArrayList<>();
            for (Map<String, Object> doc : Yaml.readAll(Files.readString(file), file.toString())) {
                objects.add(new KubeObject(new LinkedHashMap<>(doc), file.toString()));
            }
            return objects;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (build the release first: mvn install)", e);
        }
    }
}
