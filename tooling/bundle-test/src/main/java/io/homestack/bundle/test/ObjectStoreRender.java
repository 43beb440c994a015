package io.homestack.bundle.test;

import io.homestack.bundle.BundleLog;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.model.Bundle;
import io.homestack.bundle.render.BundleRenderer;
import io.homestack.bundle.seal.SecretManifest;
import io.homestack.bundle.seal.Unsealer;
import io.homestack.bundle.test.engine.Versitygw;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * backup/object-store's k3d render (rendered here from its sources, as the build renders it), read the way its S3
 * clients depend on it: the endpoint and buckets of its provisioning Job (ObjectStoreBundleTest holds them to the
 * chart's Service and port), the region of its gateway, its mesh policies and its users Secret. For the bundles that
 * keep their data in it (observability/loki, observability/tracing).
 */
public record ObjectStoreRender(Path dir, List<KubeObject> objects) {

    public static final String NAMESPACE = "object-store";
    public static final String ENV = "k3d";

    public static ObjectStoreRender k3d(Path repository, Path work) {
        Path dir = repository.resolve("backup/object-store");
        return new ObjectStoreRender(dir, new BundleRenderer(BundleLog.SILENT).render(Bundle.load(dir), work).objects(ENV));
    }

    public static Path repository() {
        return Path.of(System.getProperty("homestack.bundle.dir", ".")).toAbsolutePath().normalize().resolve("../..")
                .normalize();
    }

    /** The committed, public k3d sealing key (clusters/k3d/sealed-secrets). */
    public static Unsealer k3dKey() {
        return Unsealer.load(repository().resolve("clusters/k3d/sealed-secrets/sealed-secrets-k3d.key"));
    }

    public KubeObject object(String kind, String name) {
        List<KubeObject> found = objects.stream().filter(o -> kind.equals(o.kind()) && name.equals(o.name())).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " " + kind + " named " + name + " in backup/object-store's " + ENV
                    + " render");
        }
        return found.get(0);
    }

    /** The S3 endpoint every client uses: the provisioning Job's S3_ENDPOINT. */
    public URI endpoint() {
        return URI.create(jobEnv("S3_ENDPOINT"));
    }

    /** The region the gateway signs for (the versitygw Application's gateway.region). */
    public String region() {
        Map<String, Object> values = KubeObject.path(object("Application", "object-store-versitygw").body(), "spec",
                "source", "helm", "valuesObject");
        return KubeObject.string(KubeObject.path(values, "gateway").get("region"));
    }

    /** Bucket to owning user, from the Job's BUCKETS ({@code bucket:user} pairs). */
    public Map<String, String> bucketOwners() {
        Map<String, String> owners = new LinkedHashMap<>();
        for (String pair : jobEnv("BUCKETS").trim().split("\\s+")) {
            owners.put(pair.substring(0, pair.indexOf(':')), pair.substring(pair.indexOf(':') + 1));
        }
        return owners;
    }

    /** The one bucket {@code user} owns. */
    public String bucketOf(String user) {
        List<String> buckets = bucketOwners().entrySet().stream().filter(e -> user.equals(e.getValue()))
                .map(Map.Entry::getKey).toList();
        if (buckets.size() != 1) {
            throw new AssertionError("user " + user + " owns " + buckets + " in the Job's BUCKETS " + bucketOwners());
        }
        return buckets.get(0);
    }

    public String provisionScript() {
        return KubeObject.string(KubeObject.path(object("ConfigMap", "object-store-provision").body(), "data")
                .get("provision.sh"));
    }

    /**
     * A real versitygw set up as the object store sets up its gateway: started with the k3d root Secret's keys, then
     * its provision.sh (from the rendered ConfigMap) run with its Job's BUCKETS and the k3d users Secret, as the
     * PostSync Job runs it. The caller closes the server.
     */
    public Versitygw.Server startProvisioned(Versitygw versitygw, Path work) throws IOException, InterruptedException {
        Unsealer key = k3dKey();
        SecretManifest root = unseal(key, "object-store-root");
        SecretManifest users = unseal(key, "object-store-users");
        Path gateway = Files.createDirectories(work.resolve("gateway"));
        Versitygw.Server server = versitygw.start(Files.createDirectories(gateway.resolve("data")),
                Files.createDirectories(gateway.resolve("metadata")), Files.createDirectories(gateway.resolve("iam")),
                root.stringValue("rootAccessKeyId"), root.stringValue("rootSecretAccessKey"), gateway.resolve("log"));
        try {
            Path usersDir = Files.createDirectories(work.resolve("users"));
            for (String k : users.data().keySet()) {
                Files.writeString(usersDir.resolve(k), users.stringValue(k));
            }
            Path script = Files.writeString(work.resolve("provision.sh"), provisionScript());
            Path log = work.resolve("provision.log");
            ProcessBuilder pb = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("PATH", versitygw.binary().getParent() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("S3_ENDPOINT", server.endpoint().toString());
            env.put("ROOT_ACCESS_KEY_ID", root.stringValue("rootAccessKeyId"));
            env.put("ROOT_SECRET_ACCESS_KEY", root.stringValue("rootSecretAccessKey"));
            env.put("BUCKETS", jobEnv("BUCKETS"));
            env.put("USERS_DIR", usersDir.toString());
            Process process = pb.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("provision.sh did not finish within 60 s: " + Files.readString(log));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("provision.sh failed (exit " + process.exitValue() + "): " + Files.readString(log));
            }
            return server;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    public SecretManifest unseal(Unsealer key, String sealedSecret) {
        return key.unseal(object("SealedSecret", sealedSecret).body(), "backup/object-store " + sealedSecret);
    }

    public String jobEnv(String name) {
        Map<String, Object> container = PodSpecs.containers(KubeObject.path(object("Job", "object-store-provision")
                .body(), "spec", "template", "spec")).get(0);
        return KubeObject.list(container.get("env")).stream().map(KubeObject::map).filter(e -> name.equals(e.get("name")))
                .map(e -> KubeObject.string(e.get("value"))).findFirst()
                .orElseThrow(() -> new AssertionError("object-store-provision sets no " + name));
    }

    /**
     * A client in {@code namespace} reaches the object store: that namespace (declared by
     * observability/prometheus-grafana) is outside the mesh, so its requests are plain HTTP without a mesh identity, and
     * the store takes exactly that on its S3 port ({@link #acceptsPlainTextWithoutMeshIdentityOn}).
     */
    public void assertAcceptsUnmeshedClientsOf(String namespace, Path work) {
        List<KubeObject> declared = new BundleRenderer(BundleLog.SILENT).render(Bundle.load(repository()
                .resolve("observability/prometheus-grafana")), work).objects(ENV);
        KubeObject ns = declared.stream().filter(o -> "Namespace".equals(o.kind()) && namespace.equals(o.name()))
                .findFirst().orElseThrow(() -> new AssertionError(
                        "observability/prometheus-grafana declares no Namespace " + namespace));
        assertThat(ns.labels()).containsEntry("istio-injection", "disabled");
        assertThat(acceptsPlainTextWithoutMeshIdentityOn(endpoint().getPort()))
                .as("backup/object-store: PERMISSIVE mTLS and an ALLOW rule for sources without a mesh identity on port %s",
                        endpoint().getPort()).isTrue();
    }

    /**
     * Whether the object store takes plain-text requests from a client without a mesh identity (an unmeshed namespace
     * such as observability) on {@code port}: a PERMISSIVE PeerAuthentication on it and an ALLOW rule for
     * {@code notPrincipals: ["*"]} on it.
     */
    public boolean acceptsPlainTextWithoutMeshIdentityOn(int port) {
        String p = Integer.toString(port);
        boolean permissive = objects.stream().filter(o -> "PeerAuthentication".equals(o.kind())).anyMatch(o -> {
            Map<String, Object> spec = KubeObject.path(o.body(), "spec");
            Map<String, Object> level = KubeObject.path(spec, "portLevelMtls", p);
            return "PERMISSIVE".equals(level.isEmpty() ? KubeObject.path(spec, "mtls").get("mode") : level.get("mode"));
        });
        boolean allowed = objects.stream().filter(o -> "AuthorizationPolicy".equals(o.kind()))
                .map(o -> KubeObject.path(o.body(), "spec"))
                .filter(spec -> "ALLOW".equals(spec.getOrDefault("action", "ALLOW")))
                .flatMap(spec -> KubeObject.list(spec.get("rules")).stream().map(KubeObject::map))
                .anyMatch(rule -> KubeObject.list(rule.get("from")).stream()
                        .map(f -> KubeObject.path(KubeObject.map(f), "source"))
                        .anyMatch(source -> List.of("*").equals(source.get("notPrincipals")))
                        && KubeObject.list(rule.get("to")).stream()
                        .map(t -> KubeObject.path(KubeObject.map(t), "operation"))
                        .anyMatch(op -> KubeObject.list(op.get("ports")).contains(p)));
        return permissive && allowed;
    }
}
