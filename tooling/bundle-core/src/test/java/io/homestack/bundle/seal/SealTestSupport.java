package io.homestack.bundle.seal;

import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** The committed k3d test keypair, the real kubeseal, and test inputs. */
final class SealTestSupport {

    private static Path repoRoot;
    private static KubesealCli kubeseal;

    private SealTestSupport() {
    }

    /** The repository root: the nearest ancestor of the module directory that has the k3d keypair. */
    static synchronized Path repoRoot() {
        if (repoRoot == null) {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isDirectory(dir.resolve("clusters/k3d/sealed-secrets"))) {
                    repoRoot = dir;
                    return dir;
                }
            }
            fail("No clusters/k3d/sealed-secrets above " + Path.of("").toAbsolutePath());
        }
        return repoRoot;
    }

    static Path k3dCertificateFile() {
        return repoRoot().resolve("clusters/k3d/sealed-secrets/sealed-secrets-k3d.crt");
    }

    static Path k3dKeyFile() {
        return repoRoot().resolve("clusters/k3d/sealed-secrets/sealed-secrets-k3d.key");
    }

    static SealingCertificate k3dCertificate() {
        return SealingCertificate.load(k3dCertificateFile());
    }

    static SecretSealer k3dSealer() {
        return new SecretSealer(k3dCertificate());
    }

    static Unsealer k3dUnsealer() {
        return Unsealer.load(k3dKeyFile());
    }

    /** The real kubeseal; its absence fails the test in CI and skips it elsewhere, saying how to build one. */
    static synchronized KubesealCli kubeseal() {
        if (kubeseal == null) {
            Path found = new KubesealLocator().locate().orElseThrow(() -> TestTools.missing("These tests need the"
                    + " real kubeseal binary and none was found (-D" + KubesealLocator.PROPERTY + ", $" + KubesealLocator.ENV
                    + ", PATH, ~/.kubeapitest/k8s/*/kubeseal). " + KubesealLocator.HOW_TO_INSTALL));
            kubeseal = new KubesealCli(found);
        }
        return kubeseal;
    }

    static Path resource(String name) {
        try {
            return Path.of(SealTestSupport.class.getResource("/seal/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("No test resource seal/" + name, e);
        }
    }

    /** Every byte value once, plus a NUL-heavy tail: anything that would break a text round trip. */
    static byte[] allBytes() {
        byte[] bytes = new byte[256 + 8];
        for (int i = 0; i < 256; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    /** Runs openssl (a real tool the key material was made with); fails the test when it fails. */
    static void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            fail("openssl is needed for this test: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> child(Map<String, Object> object, String... path) {
        Map<String, Object> current = object;
        for (String key : path) {
            current = (Map<String, Object>) current.get(key);
        }
        return current;
    }
}
