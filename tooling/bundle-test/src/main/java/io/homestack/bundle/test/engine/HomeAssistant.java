package io.homestack.bundle.test.engine;

import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.bundle.test.envtest.ManagedProcess;
import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant from PyPI (HOMEASSISTANT_VERSION of versions.env) in the venv that
 * {@code tooling/k8s-test-binaries/homeassistant.sh} installs with every requirement the bundle's integrations need:
 * a missing venv skips the test with the reason outside CI and fails it in CI. HA runs with {@code --skip-pip}: a
 * requirement missing from the venv fails the integration's setup instead of reaching for the network.
 */
public final class HomeAssistant {

    public static final String INSTALL_SH = "tooling/k8s-test-binaries/homeassistant.sh";

    private final Path venv;
    private final String version;

    HomeAssistant(Path venv, String version) {
        this.venv = venv;
        this.version = version;
    }

    /** The installed venv of the pinned version; skipped (or failed in CI) when it is not there. */
    public static HomeAssistant locate() {
        TestBinaries binaries = TestBinaries.locate();
        String version = binaries.version("HOMEASSISTANT_VERSION");
        HomeAssistant ha = new HomeAssistant(binaries.dir().resolve("homeassistant").resolve(version), version);
        if (!Files.isRegularFile(ha.venv.resolve(".complete")) || !Files.isExecutable(ha.hass())) {
            throw TestTools.missing("Home Assistant " + version + " is not installed in " + ha.venv + ": run "
                    + binaries.repo().resolve(INSTALL_SH) + " (a venv from PyPI, about 6 minutes cold, then cached).");
        }
        return ha;
    }

    public String version() {
        return version;
    }

    /** The venv's Python, which runs what the pod runs with the image's {@code python3}. */
    public Path python() {
        return venv.resolve("bin/python3");
    }

    Path hass() {
        return venv.resolve("bin/hass");
    }

    /** What {@code hass --script check_config} said about a config directory; colours stripped. */
    public record CheckResult(int exitCode, String output) {

        /**
         * True when HA found nothing wrong: exit code 0 (no "Failed config") and no "Incorrect config" either (an
         * integration whose configuration is invalid, which check_config reports without failing the exit code).
         */
        public boolean passed() {
            return exitCode == 0 && !output.contains("Incorrect config") && !output.contains("Failed config");
        }
    }

    /** Runs HA's own configuration check on {@code configDir}, its output in {@code log}. */
    public CheckResult checkConfig(Path configDir, Path log) {
        ManagedProcess check = ManagedProcess.start("check_config", List.of(hass().toString(), "--script",
                "check_config", "--config", configDir.toString()), Map.of(), log);
        int exit = check.awaitExit(120_000);
        try {
            return new CheckResult(exit, Files.readString(log).replaceAll("\u001B\\[[0-9;]*m", ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /**
     * Starts HA on {@code configDir} (whose configuration.yaml must make it listen on 127.0.0.1:{@code port}), its
     * log in {@code log}; ready once the frontend answers /manifest.json, stopped on close.
     */
    public EngineProcess start(Path configDir, int port, Path log) {
        return EngineProcess.start("home-assistant", List.of(hass().toString(), "--config", configDir.toString(),
                "--skip-pip"), Map.of(), log, URI.create("http://127.0.0.1:" + port + "/manifest.json"),
                Duration.ofSeconds(180));
    }
}
