package io.homestack.bundle.render;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.model.BundleInputs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what kustomize will read before it runs, since kustomize follows links and relative paths anywhere. Every
 * kustomization reached through {@code resources}, {@code components}, {@code bases}, {@code generators},
 * {@code transformers} and {@code validators} is a local directory inside the bundle, or inside the repository for
 * shared components ({@code ../../../../platform/ingress/components/...}); no link under such a directory leaves the
 * bundle (resp. the repository); no file is too large; nothing is remote. Files a kustomization names (patches,
 * generator files) must be below it: kustomize's own load restrictor (root only) refuses anything else.
 */
final class KustomizeInputs {

    private static final List<String> KUSTOMIZATION_FILES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private static final List<String> REFERENCES = List.of("resources", "components", "bases", "generators",
            "transformers", "validators");

    private final Path bundleDir;
    private final Path bundleReal;
    private final Path repository;
    private final Set<Path> visited = new HashSet<>();

    private KustomizeInputs(Path bundleDir) {
        this.bundleDir = bundleDir.toAbsolutePath().normalize();
        try {
            this.bundleReal = bundleDir.toRealPath();
        } catch (IOException e) {
            throw new BundleException(bundleDir + ": cannot resolve (" + e.getClass().getSimpleName() + ")", e);
        }
        this.repository = BundleInputs.repositoryRoot(bundleDir);
    }

    /** @throws BundleException naming the kustomization, the entry or the link */
    static void check(Path bundleDir, Path overlay) {
        new KustomizeInputs(bundleDir).visit(overlay.toAbsolutePath().normalize());
    }

    private void visit(Path dir) {
        Path real = real(dir);
        if (!visited.add(real)) {
            return;
        }
        boolean inBundle = real.startsWith(bundleReal);
        BundleInputs.checkTree(inBundle ? bundleReal : repository, dir, bundleDir,
                inBundle ? "the bundle directory" : "the repository " + repository);
        Path file = KUSTOMIZATION_FILES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst().orElse(null);
        if (file == null) {
            return; // kustomize says what is missing
        }
        String shown = shown(file);
        var kustomization = Yaml.readMap(BundleInputs.read(inBundle ? bundleReal : repository, file, shown), shown);
        for (String key : REFERENCES) {
            for (Object entry : KubeObject.list(kustomization.get(key))) {
                if (entry instanceof String path && !path.contains("\n")) {
                    reference(file, key, path);
                }
            }
        }
    }

    private void reference(Path kustomization, String key, String entry) {
        Path target = kustomization.getParent().resolve(entry).normalize();
        String where = shown(kustomization) + ": " + key + " entry '" + entry + "'";
        if (!Files.exists(target)) {
            throw new BundleException(where + " is not a file or directory here; homestack builds from local files"
                    + " only (no remote bases)");
        }
        Path real = real(target);
        if (!real.startsWith(repository)) {
            throw new BundleException(where + " leads to " + real + ", outside the repository " + repository
                    + "; homestack reads nothing outside it");
        }
        if (Files.isDirectory(real)) {
            visit(target);
        }
    }

    /** Relative to the bundle, as kustomizations write their references. */
    private String shown(Path file) {
        return bundleDir.relativize(file.toAbsolutePath().normalize()).toString();
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new BundleException(path + ": cannot resolve (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
