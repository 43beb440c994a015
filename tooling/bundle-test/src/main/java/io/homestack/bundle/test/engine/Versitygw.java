package io.homestack.bundle.test.engine;

import io.homestack.bundle.net.FreePorts;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * versitygw (build.sh versitygw), the S3 server backup/object-store deploys, run on loopback with its posix backend
 * and internal IAM, as the chart runs it: root credentials from the environment, users in {@code iam/users.json}.
 */
public final class Versitygw {

    private final Path binary;

    public Versitygw(Path binary) {
        this.binary = binary;
    }

    /** versitygw in the test binaries directory; skipped, or failed in CI, when missing. */
    public static Versitygw locate() {
        return new Versitygw(EngineBinaries.require("versitygw"));
    }

    public Path binary() {
        return binary;
    }

    /**
     * Serves the directory {@code data} (a bucket a directory) with its IAM in {@code iam} until closed; ready when
     * its health endpoint answers.
     */
    public Server start(Path data, Path iam, String rootAccessKeyId, String rootSecretAccessKey, Path log) {
        return start(data, null, iam, rootAccessKeyId, rootSecretAccessKey, log);
    }

    /**
     * The same with each object's metadata in sidecar files under {@code metadata} (outside {@code data}) instead of
     * extended attributes, as backup/object-store runs it (values/versitygw.yaml, gateway.backend.sidecarDir); a null
     * {@code metadata} keeps extended attributes.
     */
    public Server start(Path data, Path metadata, Path iam, String rootAccessKeyId, String rootSecretAccessKey,
                        Path log) {
        int port = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", "127.0.0.1:" + port,
                "--iam-dir", iam.toString(), "--health", "/health", "--region", "us-east-1", "posix"));
        if (metadata != null) {
            command.addAll(List.of("--sidecar", metadata.toString()));
        }
        command.add(data.toString());
        EngineProcess process = EngineProcess.start("versitygw", command,
                Map.of("ROOT_ACCESS_KEY_ID", rootAccessKeyId, "ROOT_SECRET_ACCESS_KEY", rootSecretAccessKey),
                log, URI.create("http://127.0.0.1:" + port + "/health"), Duration.ofSeconds(30));
        return new Server(process, port);
    }

    /** A running versitygw: its S3 (and admin) endpoint on 127.0.0.1. */
    public record Server(EngineProcess process, int port) implements AutoCloseable {

        public URI endpoint() {
            return URI.create("http://127.0.0.1:" + port);
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
