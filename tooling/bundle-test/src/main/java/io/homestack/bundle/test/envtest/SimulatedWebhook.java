package io.homestack.bundle.test.envtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * How the API server reaches the simulated cert-manager webhook, and what answers it.
 * <p>
 * The chart's webhook configurations name the Service {@code cert-manager-webhook}; the API server resolves it to its
 * ClusterIP and dials through the {@code cluster} egress selector (its flag {@code --egress-selector-config-file},
 * HTTPConnect over a Unix socket). On a real cluster kube-proxy carries that connection to the webhook pod; here
 * {@link #proxy} does: a CONNECT to the ClusterIP:port that the router maps to the simulated webhook goes to
 * {@link #server} (an HTTPS admission endpoint with a certificate for {@code <service>.<namespace>.svc}, signed by
 * the CA that the simulation injects into the configurations' caBundle); the router refuses it when the Service has no
 * ready endpoint (as kube-proxy would); any other target is dialled directly, as without the egress selector.
 * (kube-apiserver's {@code --enable-aggregator-routing} would dial the endpoints' pod IPs instead, but EndpointSlice
 * validation rejects loopback addresses, so no pod IP here can be bound.)
 * <p>
 * The admission endpoint admits every request: cert-manager's validation is not run.
 */
final class SimulatedWebhook implements AutoCloseable {

    /** Where a CONNECT target goes: the local port of the simulated webhook, -1 to refuse (and why), 0 to dial it. */
    record Route(int localPort, String refused) {
        static final Route DIRECT = new Route(0, null);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final ServerSocketChannel proxy;
    private final Path socket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cert-manager-simulation-webhook");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private volatile boolean serving = true;
    private final java.util.concurrent.atomic.AtomicLong admitted = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param keyStore the serving key and certificate (alias "serving")
     * @param socket   the Unix socket the API server's egress selector dials
     * @param router   a CONNECT target ("10.0.0.12:443") to a route; given the server's port
     */
    SimulatedWebhook(KeyStore keyStore, char[] password, Path socket, Function<String, Route> router) {
        this.socket = socket;
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.createContext("/", this::admit);
            server.setExecutor(threads);
            server.start();
            Files.deleteIfExists(socket);
            proxy = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            proxy.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the simulated cert-manager webhook: " + e.getMessage(), e);
        }
        threads.execute(() -> accept(router));
    }

    /** The HTTPS admission endpoint's port on 127.0.0.1. */
    int port() {
        return server.getAddress().getPort();
    }

    /** Stops answering admission requests (connections to the endpoint are refused), as a webhook pod that died. */
    void stopServing() {
        serving = false;
        server.stop(0);
    }

    /** How many admission requests it answered. */
    long admitted() {
        return admitted.get();
    }

    boolean serving() {
        return serving;
    }

    /** The kube-apiserver egress selector configuration that sends cluster traffic through {@link #proxy}. */
    static String egressSelectorConfiguration(Path socket) {
        return """
                apiVersion: apiserver.k8s.io/v1beta1
                kind: EgressSelectorConfiguration
                egressSelections:
                  - name: cluster
                    connection:
                      proxyProtocol: HTTPConnect
                      transport:
                        uds:
                          udsName: %s
                """.formatted(socket);
    }

    /** Admits every AdmissionReview (v1), answering with its uid; says so once per object and operation. */
    private void admit(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode review;
            try (InputStream in = exchange.getRequestBody()) {
                review = JSON.readTree(in);
            }
            JsonNode request = review.path("request");
            String what = exchange.getRequestURI().getPath() + " " + request.path("operation").asText() + " "
                    + request.path("kind").path("kind").asText() + " " + (request.path("namespace").asText().isEmpty() ? ""
                    : request.path("namespace").asText() + "/") + request.path("name").asText()
                    + (request.path("subResource").asText().isEmpty() ? "" : " (" + request.path("subResource").asText() + ")");
            if (logged.add(what)) {
                System.out.println("[homestack] SIMULATED (cert-manager): webhook " + what
                        + ": admitted (cert-manager's validation is not run here)");
            }
            admitted.incrementAndGet();
            ObjectNode response = JSON.createObjectNode();
            response.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
            response.putObject("response").put("uid", request.path("uid").asText()).put("allowed", true);
            byte[] body = JSON.writeValueAsBytes(response);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void accept(Function<String, Route> router) {
        while (proxy.isOpen()) {
            try {
                SocketChannel client = proxy.accept();
                threads.execute(() -> connect(client, router));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** One CONNECT: read the request, route it, answer 200 and pipe both ways, or answer 503 with the reason. */
    private void connect(SocketChannel client, Function<String, Route> router) {
        try (client) {
            String head = readHead(client);
            String[] line = head.split("\r\n", 2)[0].split(" ");
            if (line.length < 2 || !"CONNECT".equals(line[0])) {
                reply(client, "HTTP/1.1 405 Method Not Allowed\r\n\r\n");
                return;
            }
            String target = line[1];
            Route route = router.apply(target);
            if (route.refused() != null) {
                reply(client, "HTTP/1.1 503 " + route.refused().replaceAll("[\r\n]", " ") + "\r\n\r\n");
                return;
            }
            int colon = target.lastIndexOf(':');
            InetSocketAddress address = route.localPort() > 0 ? new InetSocketAddress("127.0.0.1", route.localPort())
                    : new InetSocketAddress(target.substring(0, colon).replaceAll("[\\[\\]]", ""),
                    Integer.parseInt(target.substring(colon + 1)));
            try (SocketChannel upstream = SocketChannel.open()) {
                upstream.socket().connect(address, 5_000);
                reply(client, "HTTP/1.1 200 Connection established\r\n\r\n");
                var back = threads.submit(() -> pipe(upstream, client));
                pipe(client, upstream);
                back.get();
            } catch (IOException e) {
                reply(client, "HTTP/1.1 503 cannot connect to " + target + ": " + e.getMessage() + "\r\n\r\n");
            }
        } catch (Exception e) {
            // the API server closed the connection, or the simulation stopped
        }
    }

    private static String readHead(SocketChannel channel) throws IOException {
        StringBuilder head = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1); // byte by byte: nothing after the head may be consumed
        while (head.length() < 8192 && !head.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (channel.read(one) < 0) {
                throw new IOException("closed before the CONNECT request ended");
            }
            head.append((char) one.get(0));
        }
        return head.toString();
    }

    private static void reply(SocketChannel channel, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private static Void pipe(ByteChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // either side closed
        }
        return null;
    }

    @Override
    public void close() {
        stopServing();
        try {
            proxy.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            threads.shutdownNow();
        }
    }
}
