package io.homestack.bundle.test.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs promtool; every failure carries the command and promtool's own output. */
public final class Promtool {

    private static final long TIMEOUT_SECONDS = 300;

    private final Path binary;

    public Promtool(Path binary) {
        this.binary = binary;
    }

    /** The promtool build.sh built (see {@link PrometheusBinaries}). */
    public static Promtool locate() {
        return new Promtool(PrometheusBinaries.promtool());
    }

    /** One promtool run: its exit code and combined output. */
    public record Run(List<String> command, int exitCode, String output) {

        public boolean ok() {
            return exitCode == 0;
        }

        /** "promtool check rules a.yaml exited with 1:\n<output>". */
        public String describe() {
            return String.join(" ", command) + " exited with " + exitCode + ":\n" + output.strip();
        }
    }

    /** {@code promtool check rules FILES} (syntax, PromQL, templates, duplicate rules). */
    public Run checkRules(Path workDir, List<Path> ruleFiles) {
        return run(workDir, "check", "rules", ruleFiles);
    }

    /** {@code promtool test rules FILES}: the unit test files, whose rule_files are relative to workDir. */
    public Run testRules(Path workDir, List<Path> testFiles) {
        return run(workDir, "test", "rules", testFiles);
    }

    /** Fills a Prometheus data directory with blocks of the OpenMetrics samples; fails with promtool's output. */
    public void createBlocks(Path openMetrics, Path dataDir) {
        Run run = run(dataDir.getParent(), "tsdb", "create-blocks-from", List.of(Path.of("openmetrics"), openMetrics, dataDir));
        if (!run.ok()) {
            throw new IllegalStateException("cannot load the synthetic series " + openMetrics + " into " + dataDir + ": "
                    + run.describe());
        }
    }

    private Run run(Path workDir, String verb, String noun, List<Path> files) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), verb, noun));
        files.forEach(f -> command.add(f.toString()));
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "promtool-", ".out");
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            return new Run(command, p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
