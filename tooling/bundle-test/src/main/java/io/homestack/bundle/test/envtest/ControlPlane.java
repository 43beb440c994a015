package io.homestack.bundle.test.envtest;

import io.fabric8.kubeapitest.cert.CertManager;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.test.internal.Await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * etcd and kube-apiserver on loopback with free ports, the certificates (fabric8 kube-api-test's CertManager) and the
 * kubeconfig; started, waited for until {@code /readyz} answers and namespace {@code default} exists.
 */
final class ControlPlane {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Path runDir;
    private final Path binDir;
    private final ProcessGroup processes;
    private final boolean apiOnly;
    private final List<String> extraApiServerFlags;
    private int port;
    private KubernetesClient client;

    /** @param extraApiServerFlags flags a part of the cluster needs (the cert-manager simulation's egress selector) */
    ControlPlane(Path runDir, Path binDir, ProcessGroup processes, boolean apiOnly, List<String> extraApiServerFlags) {
        this.extraApiServerFlags = List.copyOf(extraApiServerFlags);
        this.runDir = runDir;
        this.binDir = binDir;
        this.processes = processes;
        this.apiOnly = apiOnly;
    }

    Path pki() {
        return runDir.resolve("pki");
    }

    Path etcdData() {
        return runDir.resolve("etcd-data");
    }

    Path kubeconfig() {
        return runDir.resolve("kubeconfig");
    }

    int port() {
        return port;
    }

    /** The admin client of the last start (null before the first). */
    KubernetesClient client() {
        return client;
    }

    void newCertificates() {
        try {
            Files.createDirectories(pki());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new CertManager(pki().toString()).createCertificatesIfNeeded();
    }

    /**
     * Starts etcd (on restored data: {@code --force-new-cluster}) and kube-apiserver, and waits until the API server
     * is ready. Ports are picked now; if another process takes one first, tried again with new ones.
     */
    void start(boolean restored, Duration timeout) {
        for (int attempt = 1; ; attempt++) {
            int etcdPort = FreePorts.next();
            int peerPort = FreePorts.next();
            port = FreePorts.next();
            ManagedProcess etcd = processes.launch("etcd", etcdCommand(etcdPort, peerPort, restored), Map.of());
            ManagedProcess apiserver = processes.launch("kube-apiserver", apiServerCommand(etcdPort), Map.of());
            String yaml = Kubeconfig.write(kubeconfig(), port, pki());
            if (client != null) {
                client.close();
            }
            Config config = Config.fromKubeconfig(yaml);
            // fabric8's 10 s default is short for a loaded machine (CI with a load of 10 on 2 cores); local API server
            config.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
            client = new KubernetesClientBuilder().withConfig(config).build();
            try {
                awaitReady(etcd, apiserver, timeout);
                return;
            } catch (IllegalStateException e) {
                boolean portTaken = Stream.of(etcd, apiserver).anyMatch(p -> !p.alive() && p.logContains("address already in use"));
                if (!portTaken || attempt == 3) {
                    throw e;
                }
                processes.stopAll();
            }
        }
    }

    private List<String> etcdCommand(int etcdPort, int peerPort, boolean restored) {
        List<String> etcd = new ArrayList<>(List.of(bin("etcd"), "--name", "envtest", "--data-dir", etcdData().toString(),
                "--listen-client-urls", "http://127.0.0.1:" + etcdPort,
                "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-cluster", "envtest=http://127.0.0.1:" + peerPort,
                "--unsafe-no-fsync"));
        if (restored) {
            etcd.add("--force-new-cluster"); // the member's stored peer address is another run's port
        }
        return etcd;
    }

    private List<String> apiServerCommand(int etcdPort) {
        String key = pki().resolve(CertManager.API_SERVER_KEY_NAME).toString();
        List<String> api = new ArrayList<>(List.of(bin("kube-apiserver"),
                "--etcd-servers", "http://127.0.0.1:" + etcdPort,
                "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
                "--secure-port", String.valueOf(port),
                "--cert-dir", runDir.resolve("apiserver-certs").toString(),
                "--tls-cert-file", pki().resolve(CertManager.API_SERVER_CERT_NAME).toString(), "--tls-private-key-file", key,
                "--client-ca-file", pki().resolve(CertManager.CLIENT_CERT_NAME).toString(),
                "--authorization-mode", "RBAC",
                "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file", key, "--service-account-signing-key-file", key,
                "--service-cluster-ip-range", "10.0.0.0/24", "--allow-privileged"));
        api.addAll(extraApiServerFlags);
        if (apiOnly) {
            // no controller manager: nothing would create service accounts, so pods could not be created
            api.addAll(List.of("--disable-admission-plugins", "ServiceAccount"));
        }
        return api;
    }

    /** Polls /readyz (without the client's retries) while watching that etcd and the apiserver stay up. */
    private void awaitReady(ManagedProcess etcd, ManagedProcess apiserver, Duration timeout) {
        Config config = Config.fromKubeconfig(new String(Kubeconfig.read(kubeconfig()), StandardCharsets.UTF_8));
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

    private String bin(String name) {
        return binDir.resolve(name).toString();
    }

    void close() {
        if (client != null) {
            client.close();
        }
    }
}
