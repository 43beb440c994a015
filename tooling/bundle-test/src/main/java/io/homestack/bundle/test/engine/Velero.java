package io.homestack.bundle.test.engine;

import io.homestack.bundle.AtomicDirectory;
import io.homestack.bundle.ExternalProcess;
import io.homestack.bundle.net.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Velero (build.sh velero: the server/CLI and velero-plugin-for-aws) run as a local process against a cluster's
 * kubeconfig, as Velero's docs describe running the server outside the cluster. The plugin is loaded from a plugin
 * directory as the image's initContainer installs it. Everything the process writes (plugin directory, the credential
 * files Velero writes under $TMPDIR, the log) is in one run directory ($TMPDIR through a link, see shortTempDir).
 */
public final class Velero {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final Path binary;
    private final Path plugin;

    public Velero(Path binary, Path plugin) {
        this.binary = binary;
        this.plugin = plugin;
    }

    /** Velero and its AWS plugin in the test binaries directory; skipped, or failed in CI, when missing. */
    public static Velero locate() {
        return new Velero(EngineBinaries.require("velero"), EngineBinaries.require("velero-plugin-for-aws"));
    }

    /**
     * Starts {@code velero server} in {@code namespace} until closed; ready when its metrics endpoint answers.
     *
     * @param env extra environment, e.g. {@code HTTP_PROXY} of a {@link ServiceProxy} for the object store's address
     */
    public Server start(Path kubeconfig, String namespace, Path runDir, Map<String, String> env) {
        return start(kubeconfig, namespace, runDir, env, List.of());
    }

    /** The same with extra server flags (e.g. a shorter {@code --store-validation-frequency}). */
    public Server start(Path kubeconfig, String namespace, Path runDir, Map<String, String> env, List<String> flags) {
        try {
            Path plugins = Files.createDirectories(runDir.resolve("plugins"));
            Path installed = plugins.resolve(plugin.getFileName());
            if (!Files.exists(installed)) {
                Files.copy(plugin, installed, StandardCopyOption.COPY_ATTRIBUTES);
            }
            Path tmp = shortTempDir(runDir);
            int metrics = FreePorts.next();
            List<String> command = new ArrayList<>(List.of(binary.toString(), "server", "--kubeconfig",
                    kubeconfig.toString(), "--namespace", namespace, "--plugin-dir", plugins.toString(),
                    "--metrics-address", "127.0.0.1:" + metrics,
                    "--profiler-address", "127.0.0.1:" + FreePorts.next(), "--log-format", "text"));
            command.addAll(flags);
            Map<String, String> environment = environment(runDir, tmp, env);
            try {
                EngineProcess process = EngineProcess.start("velero", command, environment,
                        runDir.resolve("velero.log"), URI.create("http://127.0.0.1:" + metrics + "/metrics"),
                        Duration.ofSeconds(90));
                return new Server(process, kubeconfig, namespace, environment, tmp);
            } catch (RuntimeException e) {
                AtomicDirectory.deleteQuietly(tmp);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Velero's run directory " + runDir, e);
        }
    }

    /**
     * $TMPDIR for the server: go-plugin puts its plugins' Unix sockets there, and a socket path may not exceed 107
     * bytes, which a run directory in a deep checkout (GitHub's /__w/homestack/homestack/..., a home directory) passes.
     * So a short directory in the system's temp directory, linked from the run directory as {@code tmp}; removed when
     * the server stops, as it holds the credential files Velero writes.
     */
    static Path shortTempDir(Path runDir) throws IOException {
        Path tmp = Files.createTempDirectory("homestack-velero-");
        Path link = runDir.resolve("tmp");
        if (Files.isSymbolicLink(link)) {
            Files.delete(link);
        }
        Files.createSymbolicLink(link, tmp);
        return tmp;
    }

    private static Map<String, String> environment(Path runDir, Path tmp, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("TMPDIR", tmp.toString()); // Velero writes BSL credentials to $TMPDIR/credentials
        all.put("HOME", runDir.toString());                   // the CLI's config file, never the user's
        return all;
    }

    /** A running Velero server, and its CLI against the same cluster (for reports: describe, logs). */
    public final class Server implements AutoCloseable {

        private final EngineProcess process;
        private final Path kubeconfig;
        private final String namespace;
        private final Map<String, String> env;
        private final Path tmp;

        private Server(EngineProcess process, Path kubeconfig, String namespace, Map<String, String> env, Path tmp) {
            this.process = process;
            this.kubeconfig = kubeconfig;
            this.namespace = namespace;
            this.env = env;
            this.tmp = tmp;
        }

        public boolean alive() {
            return process.alive();
        }

        /** The server's state and its log's last lines. */
        public String report() {
            return process.report();
        }

        /** {@code velero ARGS} (CLI); its output, whether it succeeded or not. */
        public String cli(String... args) {
            List<String> command = new ArrayList<>(List.of(binary.toString()));
            command.addAll(List.of(args));
            command.addAll(List.of("--kubeconfig", kubeconfig.toString(), "--namespace", namespace));
            ExternalProcess.Result result = ExternalProcess.run(command, env, new byte[0], COMMAND_TIMEOUT);
            return result.stdoutText() + result.stderr();
        }

        @Override
        public void close() {
            process.close();
            AtomicDirectory.deleteQuietly(tmp);
        }
    }
}
