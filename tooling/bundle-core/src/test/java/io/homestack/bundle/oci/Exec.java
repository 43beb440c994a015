package io.homestack.bundle.oci;

import io.homestack.bundle.render.ExternalTool;
import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the independent command-line tools the tests check against (skopeo, tar, htpasswd). */
final class Exec {

    record Result(int exitCode, String stdout, String stderr, byte[] stdoutBytes) {
    }

    private Exec() {
    }

    /**
     * The tool on PATH; when it is missing, a failure in CI and a skip (with the package to install) elsewhere
     * ({@link TestTools}).
     */
    static Path requireTool(String name, String aptPackage) {
        return ExternalTool.onPath(name).orElseThrow(() ->
                TestTools.missing(name + " not found on the PATH: apt-get install " + aptPackage));
    }

    /** Runs to completion; fails unless the exit code is 0. */
    static Result run(List<String> command) {
        return run(command, Map.of());
    }

    static Result run(List<String> command, Map<String, String> env) {
        Result result = runAllowingFailure(command, env);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + result.exitCode()
                    + "\nstdout: " + result.stdout() + "\nstderr: " + result.stderr());
        }
        return result;
    }

    static Result runAllowingFailure(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
            }
            byte[] stdout = out.join();
            return new Result(process.exitValue(), new String(stdout, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8), stdout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
