package io.homestack.bundle.test.engine;

import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.envtest.ManagedProcess;
import io.homestack.testsupport.TestTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Debian's Mosquitto broker ({@code apt-get install mosquitto}) run from a bundle's {@code mosquitto.conf} and the files
 * it names, as the pod runs it, on a free loopback port. The configuration is changed in two ways only: its one
 * listener ({@code listener 1883} or {@code port 1883}; none: one is appended) becomes {@code listener <free port>
 * 127.0.0.1}, and the absolute paths of the file options ({@link #PATH_OPTIONS}, {@code log_dest file}) are re-rooted
 * under the run directory's {@code root/}, where the given files (keyed by their path in the pod) are written. As root
 * (this machine's test runs) {@code user root} is appended: otherwise mosquitto would switch to the user
 * {@code mosquitto}, which cannot write the run directory; the pod runs as a non-root user and switches nothing.
 */
public final class Mosquitto {

    static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/local/sbin/mosquitto"));
    static final List<Path> PASSWD = List.of(Path.of("/usr/bin/mosquitto_passwd"), Path.of("/usr/local/bin/mosquitto_passwd"));
    /** Options whose value is a file or directory (mosquitto.conf(5)); plugins stay as they are. */
    static final Set<String> PATH_OPTIONS = Set.of("password_file", "acl_file", "psk_file", "persistence_location",
            "pid_file", "include_dir", "cafile", "capath", "certfile", "keyfile", "crlfile", "dhparamfile");

    private final Path binary;

    public Mosquitto(Path binary) {
        this.binary = binary;
    }

    /** Debian's mosquitto; skipped with the reason, or failed in CI, when it is not installed. */
    public static Mosquitto locate() {
        return new Mosquitto(installed(BINARIES, "mosquitto"));
    }

    public Path binary() {
        return binary;
    }

    /**
     * Starts the broker from {@code config} with {@code files} (path in the pod, e.g. {@code /mosquitto/config/acl} →
     * content) in {@code dir}: the re-rooted files under {@code dir/root}, the configuration it runs as
     * {@code dir/mosquitto.conf}, its output in {@code dir/mosquitto.log}. Ready once it accepts TCP connections; a
     * broker that exits first (a missing password file, a bad option) fails with mosquitto's own message.
     */
    public Broker start(String config, Map<String, String> files, Path dir) {
        Path root = dir.resolve("root");
        try {
            for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
                Path target = reroot(root, file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            }
            int port = FreePorts.next();
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(conf, forTest(config, root, port, ProcessHandle.current().info().user()
                    .map("root"::equals).orElse(false)), StandardCharsets.UTF_8);
            Broker broker = new Broker(List.of(binary.toString(), "-c", conf.toString()), dir, port);
            broker.launch();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare mosquitto in " + dir, e);
        }
    }

    /**
     * The configuration the test runs: the one listener on 127.0.0.1:port, file paths under {@code root} (their
     * directories created, so persistence can write), {@code user root} when run as root.
     *
     * @throws IllegalArgumentException when the configuration has more than one listener (the engine serves one)
     */
    static String forTest(String config, Path root, int port, boolean asRoot) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> listeners = new ArrayList<>();
        for (String line : config.lines().toList()) {
            String[] words = line.strip().split("\\s+");
            String option = words[0];
            if (option.equals("listener") || option.equals("port")) {
                listeners.add(line.strip());
                out.add("# test engine: was " + line.strip());
                out.add("listener " + port + " 127.0.0.1");
            } else if (words.length == 2 && PATH_OPTIONS.contains(option) && words[1].startsWith("/")) {
                Path path = reroot(root, words[1]);
                Files.createDirectories(option.equals("persistence_location") || option.equals("include_dir")
                        || option.equals("capath") ? path : path.getParent());
                out.add(option + " " + path + (words[1].endsWith("/") ? "/" : ""));
            } else if (words.length == 3 && option.equals("log_dest") && words[1].equals("file")) {
                Path path = reroot(root, words[2]);
                Files.createDirectories(path.getParent());
                out.add("log_dest file " + path);
            } else if (asRoot && option.equals("user")) {
                out.add("# test engine: run as root, was " + line.strip());
            } else {
                out.add(line);
            }
        }
        if (listeners.size() > 1) {
            throw new IllegalArgumentException("mosquitto.conf has " + listeners.size() + " listeners " + listeners
                    + ": the test engine serves one");
        }
        if (listeners.isEmpty()) {
            out.add("# test engine: the configuration has no listener");
            out.add("listener " + port + " 127.0.0.1");
        }
        if (asRoot) {
            out.add("# test engine: stay the test's user, as the pod's non-root user does");
            out.add("user root");
        }
        return String.join("\n", out) + "\n";
    }

    private static Path reroot(Path root, String podPath) {
        if (!podPath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path in the pod: " + podPath);
        }
        return root.resolve(podPath.substring(1)).normalize();
    }

    /**
     * A mosquitto password file (the broker's {@code password_file}) for {@code users} (name → password), hashed by
     * Debian's {@code mosquitto_passwd}, as one would create the Secret.
     */
    public static String passwordFile(Map<String, String> users, Path work) {
        Path passwd = installed(PASSWD, "mosquitto_passwd");
        try {
            Files.createDirectories(work);
            Path file = Files.createTempFile(work, "passwd", "");
            for (Map.Entry<String, String> user : new TreeMap<>(users).entrySet()) {
                ManagedProcess p = ManagedProcess.start("mosquitto_passwd", List.of(passwd.toString(), "-b",
                        file.toString(), user.getKey(), user.getValue()), Map.of(), work.resolve("mosquitto_passwd.log"));
                if (p.awaitExit(30_000) != 0) {
                    throw new IllegalStateException("mosquitto_passwd failed for user " + user.getKey() + ": " + p.report());
                }
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a password file in " + work, e);
        }
    }

    static Path installed(List<Path> candidates, String name) {
        Optional<Path> found = candidates.stream().filter(Files::isExecutable).findFirst();
        return found.orElseThrow(() -> TestTools.missing(name + " not found (" + candidates + "): apt-get install mosquitto"));
    }

    /** A running broker on 127.0.0.1; {@link #restart()} keeps its port, configuration and persistence. */
    public static final class Broker implements AutoCloseable {

        private static final Duration READY = Duration.ofSeconds(30);

        private final List<String> command;
        private final Path dir;
        private final int port;
        private ManagedProcess process;
        private int starts;

        private Broker(List<String> command, Path dir, int port) {
            this.command = command;
            this.dir = dir;
            this.port = port;
        }

        public int port() {
            return port;
        }

        /** {@code tcp://127.0.0.1:<port>}, what an MQTT client connects to. */
        public URI uri() {
            return URI.create("tcp://127.0.0.1:" + port);
        }

        /** The configuration the broker runs (the rendered one, changed as the class comment says). */
        public Path config() {
            return dir.resolve("mosquitto.conf");
        }

        /** The current run's output: mosquitto.log, after a restart mosquitto-2.log and so on. */
        public Path log() {
            return process.log();
        }

        /** State and the log's last lines, for failure messages. */
        public String report() {
            return process.report();
        }

        /** Stops the broker as Kubernetes does (SIGTERM: it writes its persistence) and starts it again. */
        public void restart() {
            stop();
            launch();
        }

        private void launch() {
            starts++;
            process = ManagedProcess.start("mosquitto", command, Map.of(),
                    dir.resolve(starts == 1 ? "mosquitto.log" : "mosquitto-" + starts + ".log"));
            long deadline = System.nanoTime() + READY.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.alive()) {
                    throw new IllegalStateException("mosquitto did not start (" + config() + "): " + process.report());
                }
                if (accepts()) {
                    return;
                }
                EngineProcess.sleep(100);
            }
            stop();
            throw new IllegalStateException("mosquitto did not accept connections on 127.0.0.1:" + port + " within "
                    + READY.toSeconds() + " s: " + process.report());
        }

        private boolean accepts() {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private void stop() {
            process.terminate();
            process.awaitStop(10_000);
        }

        @Override
        public void close() {
            stop();
        }
    }
}
