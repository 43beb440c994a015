package io.homestack.clusters.k3d;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.homestack.bundle.test.Topology;
import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.testsupport.TestTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * clusters/k3d/cluster.yaml, what `make cluster-up` gives k3d: valid by k3d's own config schema at K3D_VERSION, and
 * saying the same as the other places that describe that cluster — the node inventory envtest simulates
 * (inventory.yaml), the registry the release pulls from (pom.xml) and the one `make push` pushes to (Makefile).
 */
class K3dClusterConfigTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static Path root;
    private static JsonNode config;

    @BeforeAll
    static void load() throws IOException {
        root = TestBinaries.repoRoot();
        config = YAML.readTree(root.resolve("clusters/k3d/cluster.yaml").toFile());
    }

    @Test
    void isValidByK3dsConfigSchema() throws IOException {
        assertThat(validate(config)).as("clusters/k3d/cluster.yaml against " + schemaFile()).isEmpty();
    }

    /** The validator really reads the schema: a key k3d does not know and a wrong type are errors. */
    @Test
    void theSchemaRejectsWhatK3dWouldReject() throws IOException {
        ObjectNode broken = config.deepCopy();
        broken.put("agent", 2);
        ((ObjectNode) broken.get("registries").get("create")).put("hostPort", 5111);
        assertThat(validate(broken)).hasSize(2).anyMatch(m -> m.contains("agent"))
                .anyMatch(m -> m.contains("hostPort"));
    }

    /** Node names and labels: cluster.yaml's servers, agents and nodeLabels are exactly inventory.yaml's nodes. */
    @Test
    void nodesAndLabelsAreTheInventorys() {
        Topology inventory = Topology.named(Topology.K3D, root);
        String name = config.path("metadata").path("name").asText();
        Map<String, Map<String, String>> nodes = new TreeMap<>();
        for (String role : new String[] {"server", "agent"}) {
            int count = config.path(role + "s").asInt();
            for (int i = 0; i < count; i++) {
                nodes.put("k3d-" + name + "-" + role + "-" + i, new TreeMap<>());
            }
        }
        for (JsonNode label : config.path("options").path("k3s").path("nodeLabels")) {
            String[] kv = label.path("label").asText().split("=", 2);
            for (JsonNode filter : label.path("nodeFilters")) {
                String[] f = filter.asText().split(":", 2);
                String node = "k3d-" + name + "-" + f[0] + "-" + f[1];
                assertThat(nodes).as("nodeFilter " + filter.asText() + " of label " + kv[0] + " names a node of cluster.yaml")
                        .containsKey(node);
                nodes.get(node).put(kv[0], kv[1]);
            }
        }
        Map<String, Map<String, String>> expected = new TreeMap<>();
        inventory.nodes().forEach(n -> expected.put(n.name(), new TreeMap<>(n.labels())));
        assertThat(nodes).as("cluster.yaml's nodes and labels vs " + Topology.K3D_INVENTORY).isEqualTo(expected);
        inventory.nodes().forEach(n -> assertThat(n.isServer()).as(n.name() + " is a server")
                .isEqualTo(n.name().contains("-server-")));
    }

    /** One registry: the release pulls registry.localhost:5111 in the cluster; the host pushes to its port. */
    @Test
    void theRegistryIsTheOneTheReleasePullsFromAndMakePushPushesTo() throws IOException {
        JsonNode create = config.path("registries").path("create");
        String port = create.path("hostPort").asText();
        assertThat(create.path("enforcePortMatch").asBoolean()).as("enforcePortMatch: the registry listens on hostPort"
                + " in the cluster network too, so one address serves both").isTrue();
        assertThat(property(root.resolve("clusters/k3d/pom.xml"), "<homestack.k3d.pullRegistry>([^<]+)<"))
                .isEqualTo(create.path("name").asText() + ":" + port);
        assertThat(property(root.resolve("Makefile"), "(?m)^REGISTRY \\?= (\\S+)$")).isEqualTo("localhost:" + port);
        assertThat(property(root.resolve("tooling/bundle-parent/pom.xml"), "<homestack.registry>([^<]+)<"))
                .isEqualTo("localhost:" + port);
    }

    @Test
    void theNodesRunTheKubernetesVersionOfTheTests() {
        assertThat(config.path("image").asText())
                .isEqualTo("rancher/k3s:" + TestBinaries.locate().kubernetesVersion() + "-k3s1");
    }

    private static Set<String> validate(JsonNode document) throws IOException {
        JsonSchema schema;
        try (var in = Files.newInputStream(schemaFile())) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        Set<String> messages = new java.util.TreeSet<>();
        for (ValidationMessage m : schema.validate(document)) {
            messages.add(m.getMessage());
        }
        return messages;
    }

    private static Path schemaFile() {
        TestBinaries binaries = TestBinaries.locate();
        String version = binaries.version("K3D_VERSION");
        Path file = binaries.dir().resolve("schemas/k3d/" + version + "/config-v1alpha5.json");
        if (!Files.isRegularFile(file)) {
            throw TestTools.missing("k3d's config schema " + version + " is not in " + file
                    + ": run tooling/k8s-test-binaries/schemas.sh");
        }
        return file;
    }

    private static String property(Path file, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(file));
        assertThat(m.find()).as(file + " has " + regex).isTrue();
        return m.group(1);
    }
}
