package io.homestack.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs one external command with stdin fed, stdout and stderr captured, and a hard timeout. */
public final class ExternalProcess {

    public record Result(int exitCode, byte[] stdout, String stderr) {

        public String stdoutText() {
            return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private ExternalProcess() {
    }

    public static Result run(List<String> command, Map<String, String> environment, byte[] stdin, Duration timeout) {
        return run(command, null, environment, stdin, timeout);
    }

    /** @param workDir the working directory, or null for this process's */
    public static Result run(List<String> command, Path workDir, Map<String, String> environment, byte[] stdin,
                             Duration timeout) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new BundleException("Cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        // Drain both pipes concurrently with feeding stdin, so a chatty process cannot block on a full pipe.
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The process exited without reading all input; its exit code and stderr tell why.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new BundleException(display(command) + " did not finish within " + readable(timeout) + "; killed it");
            }
            return new Result(process.exitValue(), stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS),
                    new String(stderr.get(timeout.toMillis(), TimeUnit.MILLISECONDS)).strip());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BundleException("Interrupted while running " + display(command), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new BundleException("Cannot read the output of " + display(command) + ": " + e.getMessage(), e);
        }
    }

    /** The command for messages: the executable's file name, then the arguments (never any stdin). */
    public static String display(List<String> command) {
        List<String> shown = new ArrayList<>(command);
        shown.set(0, Path.of(command.get(0)).getFileName().toString());
        return String.join(" ", shown);
    }

    private static String readable(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static byte[] readAll(InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
