package io.homestack.it;

import io.fabric8.kubernetes.api.model.Secret;
import io.homestack.bundle.ExternalProcess;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.engine.Versitygw;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * backup/object-store as the cluster would run it, beside envtest: versitygw (the image's version, built by build.sh)
 * with the root credentials of the Secret the real sealed-secrets controller unsealed from the bundle's SealedSecret,
 * then the bundle's provisioning Job: its script (from the rendered ConfigMap) with its environment (from the rendered
 * Job) and the users Secret as files, as the Job mounts it. Users and buckets come from the render, nothing here.
 */
final class ObjectStore implements AutoCloseable {

    /** The S3 interface of backup/object-store: the address Velero, Loki and Tempo are configured with. */
    static final String SERVICE = "object-store.object-store.svc:7070";
    static final String NAMESPACE = "object-store";

    private final Versitygw.Server server;
    private final String provisionOutput;

    private ObjectStore(Versitygw.Server server, String provisionOutput) {
        this.server = server;
        this.provisionOutput = provisionOutput;
    }

    int port() {
        return server.port();
    }

    /** What the provisioning script printed on its first run. */
    String provisionOutput() {
        return provisionOutput;
    }

    /** Starts versitygw with the unsealed root Secret and runs the provisioning script twice (it must be idempotent). */
    static ObjectStore start(TestCluster cluster, BundleOutput render, String environment, Path work) {
        Map<String, String> root = secret(cluster, "object-store-root");
        Path users = writeFiles(secret(cluster, "object-store-users"), work.resolve("users"));
        try {
            Path data = Files.createDirectories(work.resolve("data"));
            Path iam = Files.createDirectories(work.resolve("iam"));
            Versitygw versitygw = Versitygw.locate();
            Path metadata = Files.createDirectories(work.resolve("metadata")); // sidecar files, as the bundle runs it
            Versitygw.Server server = versitygw.start(data, metadata, iam, root.get("rootAccessKeyId"),
                    root.get("rootSecretAccessKey"), work.resolve("versitygw.log"));
            try {
                Path script = work.resolve("provision.sh");
                KubeObject configMap = render.object(environment, "ConfigMap", "object-store-provision");
                Files.writeString(script, (String) data(configMap).get("provision.sh"));
                Map<String, String> env = jobEnvironment(render.object(environment, "Job", "object-store-provision"));
                env.put("S3_ENDPOINT", server.endpoint().toString());
                env.put("ROOT_ACCESS_KEY_ID", root.get("rootAccessKeyId"));
                env.put("ROOT_SECRET_ACCESS_KEY", root.get("rootSecretAccessKey"));
                env.put("USERS_DIR", users.toString());
                env.put("PATH", versitygw.binary().getParent() + ":" + System.getenv("PATH")); // the image's versitygw
                String first = provision(script, env);
                provision(script, env);
                return new ObjectStore(server, first);
            } catch (RuntimeException | IOException e) {
                server.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String provision(Path script, Map<String, String> env) {
        ExternalProcess.Result r = ExternalProcess.run(List.of("sh", script.toString()), env, new byte[0],
                Duration.ofSeconds(120));
        if (r.exitCode() != 0) {
            throw new AssertionError("backup/object-store's provision.sh exited " + r.exitCode() + ":\n"
                    + r.stdoutText() + r.stderr());
        }
        return r.stdoutText() + r.stderr();
    }

    /** The literal env values of the Job's first container (values from Secrets are set by the caller). */
    private static Map<String, String> jobEnvironment(KubeObject job) {
        Map<String, Object> container = KubeObject.map(KubeObject.list(
                KubeObject.path(job.body(), "spec", "template", "spec").get("containers")).get(0));
        Map<String, String> env = new HashMap<>();
        for (Object o : KubeObject.list(container.getOrDefault("env", List.of()))) {
            Map<String, Object> e = KubeObject.map(o);
            if (e.get("value") != null) {
                env.put(KubeObject.string(e.get("name")), String.valueOf(e.get("value")));
            }
        }
        return env;
    }

    private static Map<String, Object> data(KubeObject configMap) {
        return KubeObject.map(configMap.body().get("data"));
    }

    static Map<String, String> secret(TestCluster cluster, String name) {
        Secret s = cluster.client().secrets().inNamespace(NAMESPACE).withName(name).get();
        if (s == null || s.getData() == null) {
            throw new AssertionError("Secret " + NAMESPACE + "/" + name + " was not unsealed from backup/object-store's"
                    + " SealedSecret");
        }
        Map<String, String> values = new HashMap<>();
        s.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v))));
        return values;
    }

    private static Path writeFiles(Map<String, String> files, Path dir) {
        try {
            Files.createDirectories(dir);
            for (var e : files.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
