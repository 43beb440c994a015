package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.render.ExternalTool;
import io.homestack.testsupport.TestBinariesDir;
import io.homestack.testsupport.UserHome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Finds a {@code kubeseal} executable, first match wins:
 * <ol>
 *   <li>system property {@value #PROPERTY} (a path),</li>
 *   <li>environment variable {@value #ENV},</li>
 *   <li>{@code kubeseal} on the {@code PATH},</li>
 *   <li>the test-binaries cache: {@code ${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}/k8s/<version>/kubeseal}
 *       (newest version directory first), then {@code $HOME/.kubeapitest/bin-kubeseal/kubeseal}.</li>
 * </ol>
 * An explicitly configured path (1, 2) that is not an executable file is an error rather than a silent
 * fall-through: the user asked for that binary. Test code, for {@link KubesealCli}.
 */
public final class KubesealLocator {

    public static final String PROPERTY = "homestack.kubeseal";
    public static final String ENV = "KUBESEAL";

    /** How to get a kubeseal; for messages when none is found. */
    public static final String HOW_TO_INSTALL = "Build it with tooling/k8s-test-binaries/build.sh (it puts kubeseal"
            + " under ${HOMESTACK_K8S_BIN_DIR:-$HOME/.kubeapitest}/k8s/<version>/), or"
            + " `GOBIN=$HOME/.kubeapitest/bin-kubeseal go install github.com/bitnami-labs/sealed-secrets/cmd/kubeseal@v0.36.6`,"
            + " or point -D" + PROPERTY + "=... or $" + ENV + " at an existing kubeseal.";

    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;

    public KubesealLocator() {
        this(System::getProperty, System::getenv);
    }

    /** With explicit lookups, so that the search order can be tested without touching the real process. */
    public KubesealLocator(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    public Optional<Path> locate() {
        Optional<Path> configured = configured(systemProperties.apply(PROPERTY), "system property " + PROPERTY)
                .or(() -> configured(environment.apply(ENV), "environment variable " + ENV));
        return configured.or(this::onPath).or(this::inTestBinaries);
    }

    /** Like {@link #locate()}, but a missing kubeseal is a {@link BundleException} saying how to get one. */
    public Path require() {
        return locate().orElseThrow(() -> new BundleException("kubeseal not found (searched " + PROPERTY
                + ", $" + ENV + ", PATH and the test-binaries cache). " + HOW_TO_INSTALL));
    }

    private static Optional<Path> configured(String value, String origin) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        if (!isExecutable(path)) {
            throw new BundleException(origin + " points at " + path + ", which is not an executable file");
        }
        return Optional.of(path);
    }

    private Optional<Path> onPath() {
        return ExternalTool.onPath("kubeseal", environment.apply("PATH"));
    }

    private Optional<Path> inTestBinaries() {
        Optional<Path> k8s = TestBinariesDir.of(environment, systemProperties).map(dir -> dir.resolve("k8s"))
                .filter(Files::isDirectory);
        List<Path> candidates;
        try (Stream<Path> versions = k8s.isPresent() ? Files.list(k8s.get()) : Stream.empty()) {
            candidates = versions.sorted(Comparator.comparing(KubesealLocator::versionKey).reversed())
                    .map(dir -> dir.resolve("kubeseal"))
                    .toList();
        } catch (IOException e) {
            candidates = List.of();
        }
        Stream<Path> goInstalled = UserHome.of(environment, systemProperties).stream()
                .map(home -> home.resolve(".kubeapitest/bin-kubeseal/kubeseal"));
        return Stream.concat(candidates.stream(), goInstalled)
                .filter(KubesealLocator::isExecutable)
                .findFirst();
    }

    /** "1.35.4-linux-amd64" sorts after "1.9.0-linux-amd64": compare numeric parts as numbers. */
    private static String versionKey(Path dir) {
        StringBuilder key = new StringBuilder();
        for (String part : dir.getFileName().toString().split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)")) {
            key.append(part.chars().allMatch(Character::isDigit) ? String.format("%010d", Long.parseLong(part)) : part);
        }
        return key.toString();
    }

    private static boolean isExecutable(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
