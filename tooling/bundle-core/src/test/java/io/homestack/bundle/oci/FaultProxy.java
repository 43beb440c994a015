package io.homestack.bundle.oci;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of a real registry that can answer instead of it: injects 5xx/429 for chosen requests
 * and forwards the rest. It also rewrites the registry's absolute upload {@code Location}s into relative ones, so
 * the client's handling of both forms is exercised (and uploads keep going through the proxy).
 */
final class FaultProxy implements AutoCloseable {

    /** Decides, per request (1-based count), whether to answer instead of forwarding. */
    interface Fault {
        /** @return the status to inject (3xx: a redirect to the registry itself), or 0 to forward */
        int statusFor(int requestNumber, String method, String path);
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "date", "expect", "from",
            "host", "upgrade", "via", "warning", "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final URI upstream;
    private final Fault fault;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger count = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private FaultProxy(URI upstream, Fault fault) throws IOException {
        this.upstream = upstream;
        this.fault = fault;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static FaultProxy start(URI upstream, Fault fault) {
        try {
            return new FaultProxy(upstream, fault);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fault proxy", e);
        }
    }

    /** Fails the first {@code n} requests with {@code status}, then forwards everything. */
    static Fault firstRequests(int n, int status) {
        return (number, method, path) -> number <= n ? status : 0;
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    RegistryTarget target(String repositoryPrefix) {
        return RegistryTarget.plainHttp(address(), repositoryPrefix);
    }

    /** "METHOD /path" of every request received, injected or forwarded. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(method + " " + path);
            int injected = fault.statusFor(count.incrementAndGet(), method, path);
            if (injected >= 300 && injected < 400) {
                // A redirect to the registry itself: another authority, as when blobs are served from storage.
                exchange.getResponseHeaders().set("Location", upstream + exchange.getRequestURI().toString());
                send(exchange, injected, method, new byte[0]);
                return;
            }
            if (injected != 0) {
                byte[] body = ("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected " + injected + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                send(exchange, injected, method, body);
                return;
            }
            forward(exchange, method);
        }
    }

    private void forward(HttpExchange exchange, String method) throws IOException {
        byte[] requestBody = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
                .method(method, requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(requestBody));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Headers headers = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                return;
            }
            for (String value : values) {
                headers.add(name, name.equalsIgnoreCase("Location") ? relative(value) : value);
            }
        });
        send(exchange, response.statusCode(), method, response.body());
    }

    private String relative(String location) {
        String prefix = upstream.toString();
        return location.startsWith(prefix) ? location.substring(prefix.length()) : location;
    }

    private static void send(HttpExchange exchange, int status, String method, byte[] body) throws IOException {
        boolean noBody = method.equals("HEAD") || status == 204 || status == 304 || body.length == 0;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
