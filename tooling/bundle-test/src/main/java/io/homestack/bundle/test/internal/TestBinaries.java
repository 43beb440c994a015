package io.homestack.bundle.test.internal;

import io.homestack.testsupport.TestBinariesDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code tooling/k8s-test-binaries/build.sh} produces, at the versions pinned in its {@code versions.env}:
 * binaries in {@code <dir>/k8s/<version>-<os>-<arch>/} (fabric8 kube-api-test's layout) and upstream CRDs in
 * {@code <dir>/crds/<project>/<version>/}.
 */
public final class TestBinaries {

    public static final String VERSIONS_ENV = "tooling/k8s-test-binaries/versions.env";
    public static final String BUILD_SH = "tooling/k8s-test-binaries/build.sh";

    private final Path repoRoot;
    private final Map<String, String> versions;
    private final Path dir;

    TestBinaries(Path repoRoot, Map<String, String> versions, Path dir) {
        this.repoRoot = repoRoot;
        this.versions = versions;
        this.dir = dir;
    }

    /** The repository's versions.env with binaries and CRDs in another directory (for the kit's own tests). */
    public static TestBinaries inDirectory(Path dir) {
        Path root = repoRoot();
        return new TestBinaries(root, readVersions(root.resolve(VERSIONS_ENV)), dir.toAbsolutePath());
    }

    /** From the settings: the repository found upwards from the working directory, ~/.kubeapitest. */
    public static TestBinaries locate() {
        Path root = repoRoot();
        Path dir = Settings.BIN_DIR.value()
                .or(() -> Optional.ofNullable(Settings.env("KUBE_API_TEST_DIR")).filter(s -> !s.isBlank()))
                .map(Path::of)
                .orElseGet(TestBinariesDir::get); // where build.sh puts them
        return new TestBinaries(root, readVersions(root.resolve(VERSIONS_ENV)), dir.toAbsolutePath());
    }

    /** {@code homestack.repo.root}, else the nearest directory upwards from user.dir that has versions.env. */
    public static Path repoRoot() {
        Optional<String> configured = Settings.REPO_ROOT.value();
        if (configured.isPresent()) {
            Path root = Path.of(configured.get()).toAbsolutePath();
            if (!Files.isRegularFile(root.resolve(VERSIONS_ENV))) {
                throw new IllegalStateException(Settings.REPO_ROOT.describe() + "=" + root + " has no " + VERSIONS_ENV);
            }
            return root;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(VERSIONS_ENV))) {
                return p;
            }
        }
        throw new IllegalStateException("no " + VERSIONS_ENV + " in " + start + " or above: run the tests inside the"
                + " homestack repository or set " + Settings.REPO_ROOT.describe());
    }

    /** KEY=value lines; '#' starts a comment line. */
    static Map<String, String> readVersions(Path file) {
        try {
            return parseVersions(Files.readAllLines(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static Map<String, String> parseVersions(List<String> lines, String source) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException(source + ":" + (i + 1) + ": expected KEY=value, got '" + line + "'");
            }
            values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return values;
    }

    public Path repo() {
        return repoRoot;
    }

    public Path dir() {
        return dir;
    }

    public String version(String key) {
        String v = versions.get(key);
        if (v == null) {
            throw new IllegalStateException(key + " is not set in " + repoRoot.resolve(VERSIONS_ENV));
        }
        return v;
    }

    /** K8S_VERSION, e.g. v1.35.4. */
    public String kubernetesVersion() {
        return version("K8S_VERSION");
    }

    /** {@code <dir>/k8s/1.35.4-linux-amd64}. */
    public Path binDir() {
        return dir.resolve("k8s").resolve(kubernetesVersion().replaceFirst("^v", "") + "-" + os() + "-" + arch());
    }

    public Path binary(String name) {
        return binDir().resolve(name);
    }

    /**
     * The names of these binaries that are not there (or not executable). While build.sh runs on this directory (as
     * .ci/run runs it beside make test), first waits for it to build them ({@link PendingBuild}).
     */
    public List<String> missing(List<String> names) {
        List<String> missing = absent(names);
        Optional<ProcessHandle> build = missing.isEmpty() ? Optional.empty() : PendingBuild.running(dir);
        if (build.isPresent()) {
            System.out.println("[homestack] waiting for " + BUILD_SH + " (pid " + build.get().pid() + "), running on "
                    + dir + ", to build " + String.join(", ", missing));
            PendingBuild.await(build.get(), () -> absent(names).isEmpty(), PendingBuild.LIMIT, String.join(", ", missing));
            missing = absent(names);
        }
        return missing;
    }

    private List<String> absent(List<String> names) {
        return names.stream()
                .filter(n -> n.endsWith(".yaml") ? !Files.isRegularFile(binary(n)) : !Files.isExecutable(binary(n)))
                .toList();
    }

    /** A CRD cache directory: project (dir name) and its version. */
    public record CrdSet(String project, String version, Path dir) {

        public boolean complete() {
            return Files.isRegularFile(dir.resolve(".complete"));
        }

        public List<Path> files() {
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
    }

    /**
     * Every upstream CRD set of versions.env: each {@code CRD_<PROJECT>_VERSION} is {@code crds/<project>/<version>}
     * (project in lower case, '_' as '-'), and sealed-secrets' CRD comes with SEALED_SECRETS_VERSION.
     */
    public List<CrdSet> crdSets() {
        List<CrdSet> sets = new ArrayList<>();
        if (versions.containsKey("SEALED_SECRETS_VERSION")) {
            sets.add(crdSet("sealed-secrets", versions.get("SEALED_SECRETS_VERSION")));
        }
        versions.forEach((key, value) -> {
            if (key.startsWith("CRD_") && key.endsWith("_VERSION")) {
                String project = key.substring(4, key.length() - 8).toLowerCase(Locale.ROOT).replace('_', '-');
                sets.add(crdSet(project, value));
            }
        });
        return sets;
    }

    private CrdSet crdSet(String project, String version) {
        return new CrdSet(project, version, dir.resolve("crds").resolve(project).resolve(version));
    }

    /** How to get what is missing: one sentence for every message about missing binaries or CRDs. */
    public String buildHint(String what) {
        return "Build them once with " + repoRoot.resolve(BUILD_SH) + (what.isEmpty() ? "" : " " + what)
                + " (Go >= 1.26.8; the whole set takes 30 to 60 minutes on 2 cores, docs/performance.md; then cached by"
                + " version in " + dir + "; " + Settings.BIN_DIR.describe() + " chooses another directory)";
    }

    static String os() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return os.contains("mac") || os.contains("darwin") ? "darwin" : os.contains("win") ? "windows" : "linux";
    }

    static String arch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }
}
