package io.homestack.bundle.render;

import io.homestack.bundle.ExternalProcess;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds command-line tools on the PATH and runs them for text output. */
public final class ExternalTool {

    public record Result(int exitCode, String stdout, String stderr) {
    }

    private ExternalTool() {
    }

    public static Optional<Path> onPath(String name) {
        return onPath(name, System.getenv("PATH"));
    }

    /** @param path a PATH-style list of directories */
    public static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static Result run(List<String> command, Path workDir, String stdin, long timeoutSeconds) {
        ExternalProcess.Result r = ExternalProcess.run(command, workDir, Map.of(),
                stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(timeoutSeconds));
        return new Result(r.exitCode(), r.stdoutText(), r.stderr());
    }
}
