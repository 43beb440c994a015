package io.homestack.bundle.test.engine;

import io.homestack.bundle.ExternalProcess;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The OpenTelemetry Collector that build.sh builds with the builder: its components, its validation, a run. */
public final class OtelCollector {

    /** The configuration sections that name components. */
    public static final List<String> KINDS = List.of("receivers", "processors", "exporters", "connectors", "extensions");

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path binary;

    public OtelCollector(Path binary) {
        this.binary = binary;
    }

    /** The collector in the test binaries directory (build.sh otelcol); skipped, or failed in CI, when missing. */
    public static OtelCollector locate() {
        return new OtelCollector(EngineBinaries.require("otelcol"));
    }

    /** "0.158.0", from {@code otelcol --version}. */
    public String version() {
        String out = run(List.of("--version"), Map.of()).stdoutText().strip();
        return out.substring(out.lastIndexOf(' ') + 1);
    }

    /** What the binary has built in ({@code otelcol components}): kind to component types. */
    public Map<String, Set<String>> components() {
        return builtIn(binary);
    }

    /**
     * What a collector distribution has built in, by its {@code components} command: the builder's collector, and
     * Jaeger v2, which is one too.
     */
    static Map<String, Set<String>> builtIn(Path binary) {
        ExternalProcess.Result result = ExternalProcess.run(List.of(binary.toString(), "components"), Map.of(),
                new byte[0], COMMAND_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(binary + " components exited with " + result.exitCode() + ": " + result.stderr());
        }
        Map<String, Object> listed = Yaml.readMap(result.stdoutText(), binary + " components");
        Map<String, Set<String>> built = new TreeMap<>();
        for (String kind : KINDS) {
            Set<String> types = new TreeSet<>();
            KubeObject.list(listed.get(kind)).forEach(c -> types.add(KubeObject.string(KubeObject.map(c).get("name"))));
            built.put(kind, types);
        }
        return built;
    }

    /**
     * The collector's own check of a configuration file ({@code otelcol validate}): empty when it is valid, else the
     * file and the collector's message.
     */
    public Optional<String> validate(Path config, Map<String, String> env) {
        ExternalProcess.Result result = run(List.of("validate", "--config=" + config), env);
        if (result.exitCode() == 0) {
            return Optional.empty();
        }
        return Optional.of(config + ": " + (result.stderr() + "\n" + result.stdoutText()).strip());
    }

    /** Runs the collector with a configuration until closed; ready when its health_check answers on {@code healthPort}. */
    public EngineProcess start(Path config, Map<String, String> env, Path log, int healthPort) {
        return EngineProcess.start("otelcol", List.of(binary.toString(), "--config=" + config), env, log,
                URI.create("http://127.0.0.1:" + healthPort + "/"), COMMAND_TIMEOUT);
    }

    /** The component types a configuration names, per kind: an id's type is its part before '/' (otlp_grpc/jaeger). */
    public static Map<String, Set<String>> componentsOf(Map<String, Object> config) {
        Map<String, Set<String>> used = new TreeMap<>();
        for (String kind : KINDS) {
            Set<String> types = new TreeSet<>();
            KubeObject.map(config.get(kind)).keySet().forEach(id -> types.add(id.split("/", 2)[0]));
            used.put(kind, types);
        }
        return used;
    }

    /** "exporters/otlphttp" for every type {@code used} names that {@code built} lacks, sorted. */
    public static List<String> notBuiltIn(Map<String, Set<String>> used, Map<String, Set<String>> built) {
        List<String> missing = new ArrayList<>();
        used.forEach((kind, types) -> types.stream().filter(t -> !built.getOrDefault(kind, Set.of()).contains(t))
                .forEach(t -> missing.add(kind + "/" + t)));
        return missing;
    }

    private ExternalProcess.Result run(List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(args);
        return ExternalProcess.run(command, env, new byte[0], COMMAND_TIMEOUT);
    }
}
