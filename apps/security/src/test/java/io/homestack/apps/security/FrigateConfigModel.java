package io.homestack.apps.security;

import io.homestack.bundle.ExternalProcess;
import io.homestack.bundle.test.BundleRenders;
import io.homestack.bundle.test.PinnedVersions;
import io.homestack.bundle.test.release.ReleaseHarness;
import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Frigate's own config model (frigate.config.FrigateConfig of FRIGATE_VERSION), as tooling/k8s-test-binaries/
 * frigate-config.sh caches it: Frigate's source and a venv of its pinned requirements. {@link #check} runs
 * src/test/python/frigate_config_check.py there, which parses each file as Frigate does at start and then applies
 * the bundle's detector rule. A missing or stale cache is a missing test tool (skipped outside CI, failed in CI).
 */
final class FrigateConfigModel {

    private static final Path CHECKER = Path.of("src/test/python/frigate_config_check.py");
    private static final String REQUIREMENTS = "tooling/k8s-test-binaries/frigate-config/requirements.txt";

    /** A file to check, the detector types its environment requires, and how messages name it. */
    record Check(Path file, List<String> detectorTypes, String label) {
    }

    /** The checker's exit code and its one line per file (stdout); stderr has Frigate's own log lines. */
    record Result(int exitCode, List<String> lines, String log) {
    }

    private final Path dir;
    private final Path bundleDir;

    private FrigateConfigModel(Path dir, Path bundleDir) {
        this.dir = dir;
        this.bundleDir = bundleDir;
    }

    static FrigateConfigModel locate(BundleRenders renders) {
        Path dir = ReleaseHarness.cacheDirectory("frigate", "frigate-config.sh").resolve(PinnedVersions.of("FRIGATE_VERSION"));
        Path requirements = renders.bundleDir().resolve("../..").resolve(REQUIREMENTS).normalize();
        try {
            if (!Files.isRegularFile(dir.resolve(".complete"))
                    || Files.mismatch(requirements, dir.resolve("requirements.txt")) != -1) {
                throw TestTools.missing("Frigate's config model is not built (or is stale) in " + dir
                        + ": run tooling/k8s-test-binaries/frigate-config.sh");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FrigateConfigModel(dir, renders.bundleDir());
    }

    Result check(List<Check> checks) {
        List<String> command = new ArrayList<>(List.of(dir.resolve("venv/bin/python").toString(),
                bundleDir.resolve(CHECKER).toString(), dir.resolve("src/rootfs").toString()));
        for (Check c : checks) {
            command.addAll(List.of(c.file().toString(), String.join(",", c.detectorTypes()), c.label()));
        }
        ExternalProcess.Result run = ExternalProcess.run(command, Map.of("PYTHONPATH", dir.resolve("src").toString(),
                "PYTHONDONTWRITEBYTECODE", "1"), new byte[0], Duration.ofMinutes(2));
        return new Result(run.exitCode(), run.stdoutText().lines().toList(), run.stderr());
    }

    /** Writes {@code content} to {@code file} (parents created), for the checker to read. */
    static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
