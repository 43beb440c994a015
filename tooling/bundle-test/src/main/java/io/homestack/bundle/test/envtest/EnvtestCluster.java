package io.homestack.bundle.test.envtest;

import io.homestack.testsupport.TestTools;

import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.binary.BinaryManager;
import io.fabric8.kubeapitest.cert.CertManager;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.homestack.bundle.test.Topology;
import io.homestack.bundle.test.internal.Await;
import io.homestack.bundle.test.internal.BaseCluster;
import io.homestack.bundle.test.internal.ClusterPlan;
import io.homestack.bundle.test.internal.Crds;
import io.homestack.bundle.test.internal.Settings;
import io.homestack.bundle.test.internal.TestBinaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The envtest control plane: etcd and kube-apiserver, plus (unless {@code -Dhomestack.envtest.components=api})
 * kube-controller-manager, kube-scheduler and kwok with one fake node per node of the topology, all as local
 * processes on loopback with free ports, their logs in {@code target/homestack-envtest/<run>/logs/}.
 */
public final class EnvtestCluster extends BaseCluster {

    static final List<String> API_BINARIES = List.of("etcd", "kube-apiserver");
    static final List<String> ALL_BINARIES = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler",
            "kwok", "kwok-stages.yaml", "sealed-secrets-controller");
    private static final String KWOK_ANNOTATION = "kwok.x-k8s.io/node";
    static final String SEALED_SECRETS_K3D_KEYPAIR = "clusters/k3d/sealed-secrets";

    private final Topology topology;
    private final TestBinaries binaries;
    private final Path runDir;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final Map<String, Long> timings = new LinkedHashMap<>();
    private KubernetesClient client;
    private StaticVolumeProvisioner provisioner;
    private int apiPort;
    private String sealedSecretsCertUrl;
    private Path binDir;

    private EnvtestCluster(ClusterPlan plan, Topology topology, TestBinaries binaries, Path runDir) {
        super(plan);
        this.topology = topology;
        this.binaries = binaries;
        this.runDir = runDir;
    }

    /** Starts everything and installs the upstream CRDs; on failure stops what started and says why. */
    public static EnvtestCluster start(ClusterPlan plan, Topology topology, TestBinaries binaries, boolean installCrds) {
        long t0 = System.nanoTime();
        Path binDir = locateBinaries(plan, binaries);
        EnvtestCluster cluster = new EnvtestCluster(plan, topology, binaries, newRunDir(topology.name()));
        cluster.binDir = binDir;
        try {
            cluster.startControlPlane(installCrds);
            if (!plan.apiOnly()) {
                cluster.startNodes();
                cluster.awaitNodesReady();
            }
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        cluster.timings.put("total", System.nanoTime() - t0);
        System.out.println("[homestack] " + cluster.description() + " ready in " + cluster.timingSummary()
                + "; logs in " + cluster.runDir.resolve("logs"));
        return cluster;
    }

    /** The binaries directory; one message naming everything missing and how to get it. */
    static Path locateBinaries(ClusterPlan plan, TestBinaries binaries) {
        List<String> needed = plan.apiOnly() ? API_BINARIES : ALL_BINARIES;
        List<String> missing = binaries.missing(needed);
        if (missing.isEmpty()) {
            return binaries.binDir();
        }
        if (plan.apiOnly() && Settings.ENVTEST_DOWNLOAD.isTrue(false)) {
            // kube-api-test's own layout and download (kube-apiserver, etcd, kubectl of the same version), online only
            var config = KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withTestDir(binaries.dir().toString())
                    .withApiServerVersion(binaries.kubernetesVersion().replaceFirst("^v", ""))
                    .withOfflineMode(false).build();
            BinaryManager manager = new BinaryManager(config);
            manager.initAndDownloadIfRequired();
            return manager.binaries().getApiServer().toPath().getParent();
        }
        String alternatives = plan.apiOnly()
                ? " Or add -D" + Settings.ENVTEST_DOWNLOAD.property() + "=true to let fabric8 kube-api-test download"
                + " kube-apiserver and etcd (online)."
                : " Or run API-only tests with -D" + Settings.ENVTEST_COMPONENTS.property() + "=api (kube-apiserver and etcd;"
                + " add -D" + Settings.ENVTEST_DOWNLOAD.property() + "=true to let fabric8 kube-api-test download them"
                + " when online): tests that need scheduling or controllers are then skipped.";
        String message = "envtest binaries missing in " + binaries.binDir() + ": " + String.join(", ", missing)
                + ". " + binaries.buildHint("") + "." + alternatives + " Or choose another cluster with "
                + Settings.CLUSTER.describe() + "=k3s|kubeconfig.";
        // A fresh clone's `mvn install` before `make deps`: skipped with the reason; CI fails instead.
        throw TestTools.missing(message);
    }

    private static Path newRunDir(String topology) {
        Path root = Settings.WORK_DIR.value().map(Path::of)
                .orElse(Path.of(System.getProperty("user.dir"), "target", "homestack-envtest"));
        stopOrphans(root);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String name = stamp + "-" + ProcessHandle.current().pid() + "-" + topology.replaceAll("[^A-Za-z0-9.-]", "_");
        Path dir = root.resolve(name);
        try {
            for (int i = 2; Files.exists(dir); i++) {
                dir = root.resolve(name + "-" + i);
            }
            Files.createDirectories(dir.resolve("logs"));
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /**
     * Processes left by a test JVM that was killed (kill -9 skips shutdown hooks): every run directory is named
     * {@code <time>-<pid>-<topology>}; when that JVM is gone, whatever still runs from that directory is stopped.
     */
    static void stopOrphans(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> runs = Files.list(root)) {
            for (Path run : runs.toList()) {
                String[] parts = run.getFileName().toString().split("-");
                if (parts.length < 4 || !parts[2].matches("\\d+")
                        || ProcessHandle.of(Long.parseLong(parts[2])).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                String marker = run.toAbsolutePath() + "/";
                ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                        .forEach(p -> {
                            System.err.println("[homestack] stopping pid " + p.pid() + " left by a killed test run in " + run);
                            p.destroyForcibly();
                        });
            }
        } catch (IOException e) {
            // best effort
        }
    }

    /**
     * etcd and kube-apiserver with the upstream CRDs: restored from the snapshot when there is one; else started
     * empty, given the CRDs, stopped, saved as the snapshot and started again on the same data.
     */
    private void startControlPlane(boolean installCrds) {
        Path pki = runDir.resolve("pki");
        Path data = runDir.resolve("etcd-data");
        if (!installCrds) {
            newCertificates(pki);
            startEtcdAndApiServer(data, pki, false, !plan.apiOnly());
            return;
        }
        Snapshot snapshot = Snapshot.forVersions(binaries);
        if (snapshot.usable()) {
            long t = System.nanoTime();
            snapshot.restoreInto(data, pki);
            timings.put("CRD snapshot restored", System.nanoTime() - t);
            startEtcdAndApiServer(data, pki, true, !plan.apiOnly());
            return;
        }
        newCertificates(pki);
        startEtcdAndApiServer(data, pki, false, false);
        long t = System.nanoTime();
        Crds.install(client, Crds.fromCache(binaries), Duration.ofSeconds(120));
        stopProcesses();
        try {
            snapshot.save(data, pki);
        } catch (RuntimeException e) {
            System.err.println("[homestack] could not save the envtest CRD snapshot (next starts will install the CRDs"
                    + " again): " + e.getMessage());
        }
        timings.put("CRDs installed and snapshot saved (first start only)", System.nanoTime() - t);
        System.out.println("[homestack] saved the envtest CRD snapshot " + snapshot.dir() + ": later starts restore it");
        startEtcdAndApiServer(data, pki, true, !plan.apiOnly());
    }

    private void newCertificates(Path pki) {
        long t = System.nanoTime();
        try {
            Files.createDirectories(pki);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new CertManager(pki.toString()).createCertificatesIfNeeded();
        timings.put("certificates", System.nanoTime() - t);
    }

    /** Free ports, picked now; tried again with new ones if another process takes one first. */
    private void startEtcdAndApiServer(Path data, Path pki, boolean restored, boolean withNodeComponents) {
        Duration timeout = Settings.ENVTEST_START_TIMEOUT.seconds(60);
        String cert = pki.resolve(CertManager.API_SERVER_CERT_NAME).toString();
        String key = pki.resolve(CertManager.API_SERVER_KEY_NAME).toString();
        long t = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            int etcdPort = freePort();
            int peerPort = freePort();
            apiPort = freePort();
            List<String> etcdCommand = new ArrayList<>(List.of(bin("etcd"), "--name", "envtest", "--data-dir", data.toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + etcdPort,
                    "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
                    "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                    "--initial-cluster", "envtest=http://127.0.0.1:" + peerPort,
                    "--unsafe-no-fsync"));
            if (restored) {
                etcdCommand.add("--force-new-cluster"); // the member's stored peer address is another run's port
            }
            ManagedProcess etcd = launch("etcd", etcdCommand, Map.of());
            List<String> api = new ArrayList<>(List.of(bin("kube-apiserver"),
                    "--etcd-servers", "http://127.0.0.1:" + etcdPort,
                    "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
                    "--secure-port", String.valueOf(apiPort),
                    "--cert-dir", runDir.resolve("apiserver-certs").toString(),
                    "--tls-cert-file", cert, "--tls-private-key-file", key,
                    "--client-ca-file", pki.resolve(CertManager.CLIENT_CERT_NAME).toString(),
                    "--authorization-mode", "RBAC",
                    "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                    "--service-account-key-file", key, "--service-account-signing-key-file", key,
                    "--service-cluster-ip-range", "10.0.0.0/24", "--allow-privileged"));
            if (plan.apiOnly()) {
                // no controller manager: nothing would create service accounts, so pods could not be created
                api.addAll(List.of("--disable-admission-plugins", "ServiceAccount"));
            }
            ManagedProcess apiserver = launch("kube-apiserver", api, Map.of());
            writeKubeconfig(pki);
            if (withNodeComponents) {
                launchNodeComponents(pki); // they wait for the API server themselves: start them now to save time
            }
            try {
                awaitApiServer(etcd, apiserver, timeout);
                break;
            } catch (IllegalStateException e) {
                boolean portTaken = Stream.of(etcd, apiserver).anyMatch(p -> !p.alive() && p.logContains("address already in use"));
                if (!portTaken || attempt == 3) {
                    throw e;
                }
                stopProcesses();
            }
        }
        timings.put(restored ? "etcd + apiserver (restored)" : "etcd + apiserver", System.nanoTime() - t);
    }

    /** kube-controller-manager, kube-scheduler and kwok. */
    private void launchNodeComponents(Path pki) {
        String cert = pki.resolve(CertManager.API_SERVER_CERT_NAME).toString();
        String key = pki.resolve(CertManager.API_SERVER_KEY_NAME).toString();
        String kubeconfig = kubeconfig().toString();
        launch("kube-controller-manager", List.of(bin("kube-controller-manager"), "--kubeconfig", kubeconfig,
                "--bind-address", "127.0.0.1", "--secure-port", "0", "--leader-elect=false",
                "--root-ca-file", cert, "--service-account-private-key-file", key,
                "--use-service-account-credentials", "--controllers", "*,-nodeipam"), Map.of());
        launch("kube-scheduler", List.of(bin("kube-scheduler"), "--kubeconfig", kubeconfig,
                "--bind-address", "127.0.0.1", "--secure-port", "0", "--leader-elect=false"), Map.of());
        launch("kwok", List.of(bin("kwok"), "--kubeconfig", kubeconfig, "--config", bin("kwok-stages.yaml"),
                "--manage-all-nodes=false", "--manage-nodes-with-annotation-selector", KWOK_ANNOTATION + "=fake",
                "--cidr", "10.244.0.0/16", "--node-ip", "10.0.1.1", "--node-lease-duration-seconds", "40"), Map.of());
    }

    /** The fake nodes of the topology, the static volume provisioner and the sealed-secrets controller. */
    private void startNodes() {
        long t = System.nanoTime();
        createNodes();
        provisioner = StaticVolumeProvisioner.start(client);
        startSealedSecretsController();
        timings.put("nodes created", System.nanoTime() - t);
    }

    /**
     * The sealed-secrets controller (build.sh's build reads KUBECONFIG), keeping its keys in kube-system. With the
     * repository's k3d test keypair loaded first as the active key, as the k3d bootstrap does, so that SealedSecrets
     * sealed for k3d unseal here too; key rotation is off so that it keeps sealing with that key.
     */
    private void startSealedSecretsController() {
        Path keys = binaries.repo().resolve(SEALED_SECRETS_K3D_KEYPAIR);
        Path crt = keys.resolve("sealed-secrets-k3d.crt");
        Path key = keys.resolve("sealed-secrets-k3d.key");
        if (Files.isRegularFile(crt) && Files.isRegularFile(key)) {
            client.secrets().inNamespace("kube-system").resource(new SecretBuilder()
                    .withNewMetadata().withName("sealed-secrets-k3d-test-key")
                    .addToLabels("sealedsecrets.bitnami.com/sealed-secrets-key", "active").endMetadata()
                    .withType("kubernetes.io/tls")
                    .addToData("tls.crt", Base64.getEncoder().encodeToString(read(crt)))
                    .addToData("tls.key", Base64.getEncoder().encodeToString(read(key)))
                    .build()).create();
        }
        int port = freePort();
        launch("sealed-secrets-controller", List.of(bin("sealed-secrets-controller"),
                "--listen-addr", "127.0.0.1:" + port, "--listen-metrics-addr", "127.0.0.1:" + freePort(),
                "--key-renew-period", "0"),
                Map.of("KUBECONFIG", kubeconfig().toString(), "POD_NAMESPACE", "kube-system"));
        sealedSecretsCertUrl = "http://127.0.0.1:" + port + "/v1/cert.pem";
    }

    /** The PEM certificate the sealed-secrets controller seals with (GET /v1/cert.pem), once it answers. */
    private Optional<String> sealedSecretsCertificate() {
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(sealedSecretsCertUrl)).timeout(Duration.ofSeconds(2)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private ManagedProcess launch(String name, List<String> command, Map<String, String> env) {
        ManagedProcess p = ManagedProcess.start(name, command, env, runDir.resolve("logs").resolve(name + ".log"));
        processes.add(p);
        return p;
    }

    private String bin(String name) {
        return binDir.resolve(name).toString();
    }

    private void writeKubeconfig(Path pki) {
        Base64.Encoder b64 = Base64.getEncoder();
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: envtest
                  cluster:
                    server: https://127.0.0.1:%d
                    certificate-authority-data: %s
                users:
                - name: envtest-admin
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                contexts:
                - name: envtest
                  context:
                    cluster: envtest
                    user: envtest-admin
                    namespace: default
                current-context: envtest
                """.formatted(apiPort, b64.encodeToString(read(pki.resolve(CertManager.API_SERVER_CERT_NAME))),
                b64.encodeToString(read(pki.resolve(CertManager.CLIENT_CERT_NAME))),
                b64.encodeToString(read(pki.resolve(CertManager.CLIENT_KEY_NAME))));
        try {
            Files.writeString(kubeconfig(), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (client != null) {
            client.close();
        }
        Config config = Config.fromKubeconfig(yaml);
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Polls /readyz (without the client's retries) while watching that etcd and the apiserver stay up. */
    private void awaitApiServer(ManagedProcess etcd, ManagedProcess apiserver, Duration timeout) {
        Config config = Config.fromKubeconfig(readString(kubeconfig()));
        config.setRequestRetryBackoffLimit(0);
        config.setRequestTimeout(2000);
        config.setConnectionTimeout(1000);
        try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(config).build()) {
            HttpRequest readyz = probe.getHttpClient().newHttpRequestBuilder()
                    .uri(probe.getMasterUrl().toString().replaceFirst("/?$", "/") + "readyz").build();
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "no answer";
            while (true) {
                for (ManagedProcess p : List.of(etcd, apiserver)) {
                    if (!p.alive()) {
                        throw new IllegalStateException(p.name() + " failed to start: " + p.report()
                                + (p == apiserver ? "\n" + etcd.report() : ""));
                    }
                }
                try {
                    HttpResponse<String> r = probe.getHttpClient().sendAsync(readyz, String.class).get(2, TimeUnit.SECONDS);
                    if (r.code() == 200) {
                        if (probe.namespaces().withName("default").get() != null) {
                            return;
                        }
                        last = "ready, but namespace default not created yet";
                    } else {
                        last = "/readyz answered " + r.code() + ": " + r.body();
                    }
                } catch (Exception e) {
                    last = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("kube-apiserver not ready after " + timeout.toSeconds() + " s (last: "
                            + last + "): " + apiserver.report() + "\n" + etcd.report());
                }
                Await.sleep(100);
            }
        }
    }

    private void createNodes() {
        String kubelet = binaries.kubernetesVersion() + "+k3s1";
        for (Topology.NodeSpec spec : topology.nodes()) {
            Map<String, Quantity> capacity = new LinkedHashMap<>();
            spec.effectiveCapacity().forEach((k, v) -> capacity.put(k, new Quantity(v)));
            List<Taint> taints = spec.taints().stream()
                    .map(m -> client.getKubernetesSerialization().convertValue(m, Taint.class)).toList();
            Node node = new NodeBuilder()
                    .withNewMetadata().withName(spec.name()).withLabels(spec.effectiveLabels())
                    .addToAnnotations(KWOK_ANNOTATION, "fake").addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                    .endMetadata()
                    .withNewSpec().withTaints(taints).endSpec()
                    .withNewStatus().withCapacity(capacity).withAllocatable(capacity).withPhase("Running")
                    .withNewNodeInfo().withKubeletVersion(kubelet).withKubeProxyVersion(kubelet)
                    .withArchitecture("amd64").withOperatingSystem("linux")
                    .withContainerRuntimeVersion("kwok://" + binaries.version("KWOK_VERSION")).endNodeInfo()
                    .endStatus().build();
            client.nodes().resource(node).create();
        }
    }

    private void awaitNodesReady() {
        long t = System.nanoTime();
        Duration timeout = Settings.ENVTEST_START_TIMEOUT.seconds(60);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> notReady = topology.nodeNames().stream().filter(n -> !nodeReady(n)).toList();
            if (notReady.isEmpty()) {
                break;
            }
            processes.stream().filter(p -> !p.alive()).findFirst().ifPresent(p -> {
                throw new IllegalStateException(p.name() + " stopped: " + p.report());
            });
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kwok did not make nodes " + notReady + " Ready within " + timeout.toSeconds()
                        + " s: " + process("kwok").map(ManagedProcess::report).orElse(""));
            }
            Await.sleep(100);
        }
        // the scheduler and the controllers are up once they act: wait for the default service account
        while (client.serviceAccounts().inNamespace("default").withName("default").get() == null) {
            processes.stream().filter(p -> !p.alive()).findFirst().ifPresent(p -> {
                throw new IllegalStateException(p.name() + " stopped: " + p.report());
            });
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kube-controller-manager created no default service account within "
                        + timeout.toSeconds() + " s: " + process("kube-controller-manager").map(ManagedProcess::report).orElse(""));
            }
            Await.sleep(100);
        }
        while (sealedSecretsCertificate().isEmpty()) {
            ManagedProcess controller = process("sealed-secrets-controller").orElseThrow();
            if (!controller.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the sealed-secrets controller does not serve its certificate at "
                        + sealedSecretsCertUrl + ": " + controller.report());
            }
            Await.sleep(100);
        }
        timings.put("nodes ready", System.nanoTime() - t);
    }

    /**
     * Ready (kwok's node-initialize stage) and schedulable: the node lifecycle controller has removed the
     * {@code node.kubernetes.io/not-ready} taint that admission put on the new node.
     */
    private boolean nodeReady(String name) {
        Node node = client.nodes().withName(name).get();
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
                && (node.getSpec().getTaints() == null || node.getSpec().getTaints().stream()
                .noneMatch(t -> t.getKey().startsWith("node.kubernetes.io/")));
    }

    private Optional<ManagedProcess> process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    @Override
    public String description() {
        return "envtest (topology " + topology.name() + (plan.apiOnly() ? ", API only" : "") + ", https://127.0.0.1:" + apiPort + ")";
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public Optional<Topology> topology() {
        return Optional.of(topology);
    }

    @Override
    public Path kubeconfig() {
        return runDir.resolve("kubeconfig");
    }

    @Override
    public Optional<Path> logDir() {
        return Optional.of(runDir.resolve("logs"));
    }

    /** Start time per step, e.g. "7.9 s (certificates 0.4 s, apiserver 5.1 s, ...)". */
    public String timingSummary() {
        StringBuilder sb = new StringBuilder(seconds(timings.getOrDefault("total", 0L)) + " (");
        timings.forEach((k, v) -> {
            if (!k.equals("total")) {
                sb.append(k).append(' ').append(seconds(v)).append(", ");
            }
        });
        return sb.substring(0, sb.length() - 2) + ")";
    }

    public Duration startTime() {
        return Duration.ofNanos(timings.getOrDefault("total", 0L));
    }

    /** The pids of the processes (for the kit's own tests). */
    public List<Long> pids() {
        return processes.stream().map(ManagedProcess::pid).toList();
    }

    /** The ports the control plane listens on (for the kit's own tests). */
    public int apiServerPort() {
        return apiPort;
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    @Override
    public synchronized void close() {
        closeClients();
        if (provisioner != null) {
            provisioner.close();
            provisioner = null;
        }
        if (client != null) {
            client.close();
        }
        stopProcesses();
        Snapshot.deleteTree(runDir.resolve("etcd-data"));
    }

    /**
     * Everything but etcd first (all asked at once, killed after 5 s), then etcd: an API server whose etcd is gone
     * hangs in its shutdown instead of finishing it.
     */
    private void stopProcesses() {
        List<ManagedProcess> clients = processes.stream().filter(p -> !p.name().equals("etcd")).toList();
        List<ManagedProcess> etcd = processes.stream().filter(p -> p.name().equals("etcd")).toList();
        for (List<ManagedProcess> group : List.of(clients, etcd)) {
            group.forEach(ManagedProcess::terminate);
            CompletableFuture.allOf(group.stream().map(p -> CompletableFuture.runAsync(() -> p.awaitStop(5_000)))
                    .toArray(CompletableFuture[]::new)).join();
        }
        processes.clear();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readString(Path file) {
        return new String(read(file), StandardCharsets.UTF_8);
    }
}
