package io.homestack.nzbget.exporter;

import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.engine.Nzbget;
import io.homestack.bundle.test.image.ImageChroot;
import io.homestack.bundle.test.prometheus.MetricsText;
import io.homestack.testsupport.SkipsCounted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image works without a container engine: its layers (target/oci, what `make push` pushes) unpacked into a
 * directory and its entrypoint run there in a chroot as the Deployment's sidecar runs it: as the image's user (65532),
 * on a read-only root with /tmp writable, the nzbget-credentials login mounted as files, /proc mounted (the kit's
 * ImageChroot). Against Debian's nzbget: bad configuration exits 2 naming the variable; then /metrics answers with
 * nzbget_up 1 and the JVM's metrics, 0 while nzbget is stopped and 1 once it is back. Needs root.
 */
@ExtendWith(SkipsCounted.class)
class ImageChrootIT {

    private static final long WAIT_MILLIS = 60_000;

    @TempDir
    Path dir;

    private ImageChroot chroot;
    private Nzbget.Server nzbget;

    @BeforeEach
    void tools() throws IOException, InterruptedException {
        ImageChroot.requireTools();
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        if (chroot != null) {
            chroot.close();
        }
        if (nzbget != null) {
            nzbget.close();
        }
    }

    @Test
    void theImagesEntrypointExportsARealNzbgetInAChroot() throws Exception {
        Nzbget engine = Nzbget.locate();
        chroot = ImageChroot.unpack(Path.of(System.getProperty("homestack.image.layout")));
        assertThat(chroot.image().user()).as("a non-root user, for restricted Pod Security").isEqualTo("65532:65532");

        Path badLog = dir.resolve("bad.log");
        Process bad = chroot.start(Map.of("NZBGET_URL", "nzbget:6789"), badLog);
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
        assertThat(bad.exitValue()).as(Files.readString(badLog)).isEqualTo(2);
        assertThat(Files.readString(badLog)).contains("nzbget-exporter: NZBGET_URL='nzbget:6789'");

        nzbget = engine.start("nzbget", "chroot-it-pw", dir.resolve("nzbget"));
        // What the Deployment could mount instead of variables: the nzbget-credentials Secret as files.
        chroot.mount("/var/run/secrets/nzbget/username", "nzbget\n")
                .mount("/var/run/secrets/nzbget/password", "chroot-it-pw\n");
        int metricsPort = FreePorts.next();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NZBGET_URL", nzbget.uri().toString());
        env.put("NZBGET_USER_FILE", "/var/run/secrets/nzbget/username");
        env.put("NZBGET_PASS_FILE", "/var/run/secrets/nzbget/password");
        env.put("METRICS_PORT", String.valueOf(metricsPort));
        env.put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:-UsePerfData");
        Path log = dir.resolve("exporter.log");
        Process exporter = chroot.start(env, log);
        URI metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");

        MetricsText up = awaitScrape(metrics, exporter, log);
        assertThat(up.value("nzbget_up")).isEqualTo(1.0);
        assertThat(up.value("nzbget_version{version=\"" + nzbget.call("version").asText() + "\"}")).isEqualTo(1.0);
        assertThat(up.family("jvm_memory_used_bytes")).as("Main registers the JVM's metrics").isNotEmpty();

        nzbget.stop();
        assertThat(MetricsText.scrape(metrics).value("nzbget_up")).isEqualTo(0.0);
        nzbget.start();
        assertThat(MetricsText.scrape(metrics).value("nzbget_up")).isEqualTo(1.0);
        assertThat(exporter.isAlive()).isTrue();

        exporter.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(Files.readString(log)).as("the log of a run that was killed, not failed")
                .contains("nzbget " + nzbget.call("version").asText() + " answers at " + nzbget.uri() + "/jsonrpc")
                .contains("nzbget_up 0: cannot connect to " + nzbget.uri() + "/jsonrpc")
                .contains("nzbget_up 1: nzbget answers again")
                .doesNotContain("Exception");
    }

    private static MetricsText awaitScrape(URI metrics, Process exporter, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            if (!exporter.isAlive()) {
                throw new AssertionError("the exporter exited with " + exporter.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                return MetricsText.scrape(metrics);
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("no /metrics within " + WAIT_MILLIS / 1000 + " s:\n" + Files.readString(log), e);
                }
                Thread.sleep(200);
            }
        }
    }
}
