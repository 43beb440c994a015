package io.homestack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.model.ChartSpec;
import io.homestack.bundle.test.internal.TestBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * renovate.json's managers find every version site of the project: each pin Renovate should update is extracted by
 * exactly the manager meant for it, with the value the project pins. Renovate's own validator (make lint) checks the
 * file's syntax, not that its regular expressions match our files; this test does that with the same expressions.
 */
class RenovateConfigTest {

    static final Path ROOT = TestBinaries.repoRoot();
    static final JsonNode CONFIG = read();
    /** A named group in a regular expression (Java 17 cannot list them: Pattern.namedGroups() is Java 20). */
    static final Pattern GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    /** One value Renovate would extract: the manager's description and its named groups. */
    record Extracted(String manager, Map<String, String> groups) {
        String get(String group) {
            return groups.get(group);
        }
    }

    @Test
    void everyChartOfEveryBundleIsFoundWithItsRepositoryAndVersion() {
        List<Bundle> bundles = bundles();
        assertThat(bundles).as("the project's bundles").hasSizeGreaterThanOrEqualTo(8);
        int charts = 0;
        for (Bundle bundle : bundles) {
            Path file = bundle.dir().resolve(Bundle.DESCRIPTOR);
            List<Extracted> found = extract(file, "bundle.yaml: a chart");
            for (ChartSpec chart : bundle.descriptor().charts()) {
                boolean https = chart.repository().startsWith("https://");
                List<Extracted> matches = found.stream().filter(e -> chart.name().equals(e.get("depName"))).toList();
                assertThat(matches).as(ROOT.relativize(file) + ": chart " + chart.name() + " (the Renovate manager for "
                        + "a chart needs name, optional chart, repository, version in that order, comments between)")
                        .hasSize(1);
                Extracted e = matches.get(0);
                assertThat(e.get("currentValue")).as(file + ": " + chart.name() + " version").isEqualTo(chart.version());
                assertThat(e.get(https ? "registryUrl" : "ociRepository")).as(file + ": " + chart.name() + " repository")
                        .isEqualTo(chart.repository());
                assertThat(e.manager()).as(file + ": " + chart.name()).contains(https ? "Helm repository" : "OCI registry");
                if (!chart.chartName().equals(chart.name())) {
                    assertThat(e.get(https ? "packageName" : "chart")).isEqualTo(chart.chartName());
                }
                charts++;
            }
        }
        System.out.println("[renovate] " + charts + " charts in " + bundles.size() + " bundles, each found once");
    }

    @Test
    void everyImageABundleListsIsFound() {
        int images = 0;
        for (Bundle bundle : bundles()) {
            Path file = bundle.dir().resolve(Bundle.DESCRIPTOR);
            List<String> found = extract(file, "bundle.yaml: the images").stream()
                    .map(e -> e.get("depName") + ":" + e.get("currentValue")
                            + (e.get("currentDigest") == null ? "" : "@" + e.get("currentDigest"))).toList();
            List<String> listed = new ArrayList<>(bundle.descriptor().images());
            bundle.descriptor().charts().forEach(c -> listed.addAll(c.images()));
            for (String image : listed) {
                assertThat(found).as(ROOT.relativize(file) + ": image " + image).contains(image);
                images++;
            }
        }
        System.out.println("[renovate] " + images + " images of charts and bundles found");
    }

    @Test
    void everyPinOfVersionsEnvIsFoundOrIgnoredWithAReason() throws IOException {
        Path file = ROOT.resolve("tooling/k8s-test-binaries/versions.env");
        List<Extracted> found = extract(file, "versions.env");
        List<String> lines = Files.readAllLines(file);
        int pins = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String key = line.substring(0, line.indexOf('='));
            String value = line.substring(line.indexOf('=') + 1);
            String above = i > 0 ? lines.get(i - 1) : "";
            if (above.startsWith("# renovate: ignore: ")) {
                assertThat(above.substring("# renovate: ignore: ".length())).as(key + ": the reason").isNotBlank();
                continue;
            }
            assertThat(above).as(file + ": " + key + " needs '# renovate: datasource=<datasource> depName=<module>' "
                    + "right above it (or '# renovate: ignore: <reason>')").startsWith("# renovate: datasource=");
            String depName = above.replaceAll(".* depName=(\\S+).*", "$1");
            assertThat(found).as(file + ": " + key).anySatisfy(e -> {
                assertThat(e.get("depName")).isEqualTo(depName);
                assertThat(e.get("currentValue")).isEqualTo(value);
            });
            pins++;
        }
        assertThat(pins).as("pins Renovate updates in versions.env").isGreaterThanOrEqualTo(10);
        System.out.println("[renovate] versions.env: " + pins + " pins found");
    }

    @Test
    void theK3sImageAndArgoCdsInstallTagAreFoundAtTheVersionsTheTestsBuild() throws IOException {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("tooling/k8s-test-binaries/versions.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                versions.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        List<Extracted> k3s = extract(ROOT.resolve("clusters/k3d/cluster.yaml"), "k3d's node image");
        assertThat(k3s).singleElement().satisfies(e -> {
            assertThat(e.get("depName")).isEqualTo("rancher/k3s");
            assertThat(e.get("currentValue")).startsWith(versions.get("K8S_VERSION") + "-k3s");
        });
        List<Extracted> argocd = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("platform/argocd/manifests"))) {
            files.filter(p -> p.toString().endsWith(".yaml")).forEach(p -> argocd.addAll(extract(p, "platform/argocd")));
        }
        assertThat(argocd).singleElement().satisfies(e -> {
            assertThat(e.get("depName")).isEqualTo("argoproj/argo-cd");
            assertThat(e.get("currentValue")).isEqualTo(versions.get("ARGOCD_VERSION"));
        });
    }

    @Test
    void aChartEntryInAnotherOrderIsNotFoundSoTheTestAboveWouldFail() {
        JsonNode manager = manager("bundle.yaml: a chart from a Helm repository");
        String reordered = "charts:\n  - name: x\n    version: 1.0.0\n    repository: https://charts.invalid\n";
        String ordered = "charts:\n  - name: x\n    # why\n    repository: https://charts.invalid\n    version: \"1.0.0\"\n";
        assertThat(extract(manager, reordered)).isEmpty();
        assertThat(extract(manager, ordered)).singleElement()
                .satisfies(e -> assertThat(e.get("currentValue")).isEqualTo("1.0.0"));
    }

    /** What the managers whose description starts with {@code managerPrefix} and whose file patterns match extract. */
    static List<Extracted> extract(Path file, String managerPrefix) {
        String relative = ROOT.relativize(file).toString();
        List<Extracted> all = new ArrayList<>();
        for (JsonNode manager : CONFIG.get("customManagers")) {
            if (!manager.get("description").asText().startsWith(managerPrefix)) {
                continue;
            }
            boolean applies = false;
            for (JsonNode p : manager.get("managerFilePatterns")) {
                applies |= jsRegex(p.asText()).matcher(relative).find();
            }
            if (applies) {
                try {
                    all.addAll(extract(manager, Files.readString(file)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return all;
    }

    static List<Extracted> extract(JsonNode manager, String text) {
        List<Extracted> all = new ArrayList<>();
        for (JsonNode s : manager.get("matchStrings")) {
            Pattern pattern = Pattern.compile(s.asText());
            List<String> names = GROUP.matcher(s.asText()).results().map(r -> r.group(1)).toList();
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                Map<String, String> groups = new LinkedHashMap<>();
                names.forEach(g -> groups.put(g, m.group(g)));
                all.add(new Extracted(manager.get("description").asText(), groups));
            }
        }
        return all;
    }

    static JsonNode manager(String description) {
        for (JsonNode manager : CONFIG.get("customManagers")) {
            if (manager.get("description").asText().startsWith(description)) {
                return manager;
            }
        }
        throw new AssertionError("renovate.json has no custom manager '" + description + "'");
    }

    /** Renovate's managerFilePatterns: "/regex/" is a regular expression (the rest would be globs; none used). */
    static Pattern jsRegex(String pattern) {
        assertThat(pattern).as("managerFilePatterns entry").startsWith("/").endsWith("/");
        return Pattern.compile(pattern.substring(1, pattern.length() - 1));
    }

    /** The project's bundles: every module directory with a bundle.yaml and a pom.xml outside tooling/. */
    static List<Bundle> bundles() {
        try (Stream<Path> files = Files.walk(ROOT, 3)) {
            return files.filter(p -> p.getFileName().toString().equals(Bundle.DESCRIPTOR))
                    .map(Path::getParent)
                    .filter(d -> Files.exists(d.resolve("pom.xml")) && !ROOT.relativize(d).startsWith("tooling"))
                    .sorted().map(Bundle::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read() {
        try {
            return new ObjectMapper().readTree(TestBinaries.repoRoot().resolve("renovate.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
