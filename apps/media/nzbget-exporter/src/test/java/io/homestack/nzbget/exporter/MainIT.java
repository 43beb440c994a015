package io.homestack.nzbget.exporter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Main as a process (this JVM's java and class path): bad configuration exits 2 and names the variable. */
class MainIT {

    @TempDir
    Path dir;

    @Test
    void badConfigurationExitsTwoNamingTheVariable() throws Exception {
        assertThat(run(Map.of("NZBGET_URL", "localhost:6789"))).startsWith("exit 2: nzbget-exporter: NZBGET_URL='localhost:6789'");
        assertThat(run(Map.of("NZBGET_USER", "nzbget"))).isEqualTo("exit 2: nzbget-exporter: NZBGET_PASS (or"
                + " NZBGET_PASS_FILE) is not set, but NZBGET_USER is: nzbget's login needs both");
        assertThat(run(Map.of("METRICS_PORT", "-1"))).isEqualTo("exit 2: nzbget-exporter: METRICS_PORT='-1' is not between 0 and 65535");
    }

    private String run(Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path log = Files.createTempFile(dir, "main", ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName())).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("NZBGET_") || k.equals("METRICS_PORT"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
        return "exit " + p.exitValue() + ": " + Files.readString(log).strip();
    }
}
