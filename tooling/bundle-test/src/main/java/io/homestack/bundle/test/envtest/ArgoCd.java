package io.homestack.bundle.test.envtest;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.internal.Await;
import io.homestack.bundle.test.internal.BundleApplier;
import io.homestack.bundle.test.internal.Transient;
import io.homestack.testsupport.TestTools;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Argo CD (capability ARGOCD): redis, {@code argocd-repo-server} and {@code argocd-application-controller} as local
 * processes against the envtest API server (the binaries build.sh builds at ARGOCD_VERSION; the CRDs of the same version
 * come with the CRD snapshot). Configured as the bootstrap of platform/argocd does it: its own k3d render
 * ({@code platform/argocd/target/bundle/k3d}: namespace, argocd-cm with the Application health check,
 * argocd-rbac-cm, argocd-cmd-params-cm, AppProjects) is applied, except its Applications (argocd-install installs
 * upstream's pods, which these processes stand in for), and an empty {@code argocd-secret}, as upstream's install
 * creates it. The redis password Secret {@code argocd-redis} is created by upstream's own
 * {@code argocd admin redis-initial-password}, which the init container of upstream's redis pod runs on a cluster,
 * here as a process (kwok runs no containers); like upstream's pods, redis and both processes use it. {@code ARGOCD_FAKE_IN_CLUSTER} is Argo CD's own local-development switch: the in-cluster destination
 * uses KUBECONFIG. helm and kustomize are found on the repo-server's PATH (the binaries directory).
 */
final class ArgoCd implements NativeController {

    static final String NAMESPACE = "argocd";
    static final String RENDER = "platform/argocd/target/bundle";
    static final String ENVIRONMENT = "k3d";
    static final List<Path> REDIS = List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server"));

    private ManagedProcess redis;
    private ManagedProcess repoServer;
    private ManagedProcess controller;
    private int redisPort;
    private int repoServerMetrics;
    private int controllerMetrics;

    @Override
    public String name() {
        return "argo-cd";
    }

    @Override
    public List<String> binaries() {
        return List.of("argocd", "argocd-application-controller", "argocd-repo-server", "helm", "kustomize");
    }

    @Override
    public void start(ControllerContext context) {
        Path redisServer = REDIS.stream().filter(Files::isExecutable).findFirst().orElseGet(() -> missing(
                "redis-server not found (" + REDIS + "): apt-get install redis-server"));
        Path render = context.repo().resolve(RENDER);
        if (!Files.isDirectory(render.resolve(ENVIRONMENT))) {
            missing("platform/argocd is not rendered (" + render.resolve(ENVIRONMENT) + "): Argo CD is configured from"
                    + " the bundle's own render; run mvn package -pl platform/argocd first");
        }
        configure(context, BundleOutput.of(render).objects(ENVIRONMENT));
        String redisPassword = redisPassword(context);

        Path work = context.runDir().resolve("argocd");
        Path tmp = work.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + tmp, e);
        }
        redisPort = FreePorts.next();
        redis = context.launch("redis", List.of(redisServer.toString(), "--bind", "127.0.0.1", "--port",
                String.valueOf(redisPort), "--save", "", "--appendonly", "no", "--dir", work.toString(),
                "--requirepass", redisPassword), Map.of());

        int repoPort = FreePorts.next();
        repoServerMetrics = FreePorts.next();
        String path = context.binDir() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        repoServer = context.launch("argocd-repo-server", List.of(context.bin("argocd-repo-server"),
                        "--address", "127.0.0.1", "--port", String.valueOf(repoPort),
                        "--metrics-address", "127.0.0.1", "--metrics-port", String.valueOf(repoServerMetrics),
                        "--redis", "127.0.0.1:" + redisPort, "--disable-tls", "--client-ca-path=", "--loglevel", "info"),
                Map.of("ARGOCD_GPG_ENABLED", "false", "TMPDIR", tmp.toString(), "PATH", path,
                        "HOME", work.toString(), "REDIS_PASSWORD", redisPassword));

        controllerMetrics = FreePorts.next();
        controller = context.launch("argocd-application-controller", List.of(context.bin("argocd-application-controller"),
                        "--namespace", NAMESPACE, "--redis", "127.0.0.1:" + redisPort,
                        "--repo-server", "127.0.0.1:" + repoPort, "--repo-server-plaintext",
                        "--metrics-port", String.valueOf(controllerMetrics), "--loglevel", "info"),
                Map.of("ARGOCD_FAKE_IN_CLUSTER", "true", "KUBECONFIG", context.kubeconfig().toString(),
                        "TMPDIR", tmp.toString(), "HOME", work.toString(), "REDIS_PASSWORD", redisPassword));
    }

    /** The bootstrap: the bundle's settings and AppProjects, and the empty argocd-secret upstream's install creates. */
    private static void configure(ControllerContext context, List<KubeObject> render) {
        List<KubeObject> settings = render.stream().filter(o -> !"Application".equals(o.kind())).toList();
        Transient.retry("applying platform/argocd's settings", Duration.ofSeconds(120),
                () -> new BundleApplier(context.client()).apply("argocd (k3d, without its Applications)", settings));
        var secret = new SecretBuilder().withNewMetadata().withName("argocd-secret").withNamespace(NAMESPACE)
                .addToLabels("app.kubernetes.io/name", "argocd-secret").addToLabels("app.kubernetes.io/part-of", "argocd")
                .endMetadata().withType("Opaque").build();
        Transient.retry("creating argocd-secret", Duration.ofSeconds(120),
                () -> context.client().resource(secret).serverSideApply());
    }

    /**
     * The Secret {@code argocd-redis} (key {@code auth}), created as on a cluster: by upstream's
     * {@code argocd admin redis-initial-password} (what the init container {@code secret-init} of its redis pod runs),
     * run here as a process because kwok runs no containers. Redis and both Argo CD processes use it as their
     * password, like upstream's pods ({@code REDIS_PASSWORD}). Returns the password.
     */
    private static String redisPassword(ControllerContext context) {
        for (int attempt = 1; ; attempt++) {
            ManagedProcess init = context.runToEnd("argocd-redis-initial-password", List.of(context.bin("argocd"),
                    "admin", "redis-initial-password", "--namespace", NAMESPACE),
                    Map.of("KUBECONFIG", context.kubeconfig().toString(), "HOME", context.runDir().toString()), 120_000);
            if (init.awaitExit(0) == 0) {
                break;
            }
            if (attempt == 3) { // a busy API server makes it exit 1 (it does not retry): twice more, then fail
                throw new IllegalStateException("argocd admin redis-initial-password failed 3 times: " + init.report());
            }
        }
        Secret secret = Transient.retry("reading argocd-redis", Duration.ofSeconds(60),
                () -> context.client().secrets().inNamespace(NAMESPACE).withName("argocd-redis").get());
        if (secret == null || secret.getData() == null || !secret.getData().containsKey("auth")) {
            throw new IllegalStateException("argocd admin redis-initial-password succeeded but Secret argocd/argocd-redis"
                    + " has no key auth: " + secret);
        }
        return new String(Base64.getDecoder().decode(secret.getData().get("auth")), StandardCharsets.UTF_8);
    }

    /** Ready once redis accepts connections and both Argo CD processes answer /healthz on their metrics ports. */
    @Override
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(listening(redisPort) && healthy(repoServerMetrics) && healthy(controllerMetrics))) {
            for (ManagedProcess p : List.of(redis, repoServer, controller)) {
                if (!p.alive()) {
                    throw new IllegalStateException("Argo CD did not start: " + p.report());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Argo CD not healthy after " + timeout.toSeconds() + " s: "
                        + repoServer.report() + "\n" + controller.report());
            }
            Await.sleep(200);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean healthy(int port) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/healthz")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A missing tool or render: skipped with the reason outside CI, a failure in CI. */
    private static <T> T missing(String message) {
        String full = message + " (or " + TestTools.HOW_TO_INSTALL + ")";
        if (TestTools.required()) {
            throw new IllegalStateException(full);
        }
        System.out.println("[homestack] SKIPPED outside CI: " + full);
        throw new TestAbortedException(full);
    }

    @Override
    public void close() {
        for (ManagedProcess p : new ManagedProcess[] {controller, repoServer, redis}) {
            if (p != null) {
                p.terminate();
                p.awaitStop(5_000);
            }
        }
    }
}
