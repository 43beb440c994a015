package io.homestack.bundle.test.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An HTTP proxy on loopback that stands in for cluster DNS and kube-proxy for a process run beside envtest: given as
 * {@code HTTP_PROXY}, it carries plain-HTTP requests for a Service address ({@code object-store.object-store.svc:7070})
 * to the local port of the engine serving it, so that the process uses the address in the bundle's render unchanged.
 * The request is passed on as the client wrote it (absolute form, its Host header intact, so signed requests still
 * verify); a connection is routed by its first request. Any other host is answered 502 with the reason. Go clients
 * never send loopback addresses (the API server) to a proxy.
 */
public final class ServiceProxy implements AutoCloseable {

    /** On a Service: the port on 127.0.0.1 of the engine a test runs for it (read by the kit's Velero's proxy). */
    public static final String LOCAL_PORT = "homestack.io/test-local-port";

    private final ServerSocket server;
    private final Function<String, Integer> router;
    private final String routesDescription;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "service-proxy");
        t.setDaemon(true);
        return t;
    });

    /** @param routes "host:port" as clients address it, to a port on 127.0.0.1 */
    public ServiceProxy(Map<String, Integer> routes) {
        this(Map.copyOf(routes)::get, "the proxy maps " + routes.keySet());
    }

    /**
     * @param router            "host:port" as clients address it to a port on 127.0.0.1, null for none
     * @param routesDescription what it maps, for the 502 answer to anything else
     */
    public ServiceProxy(Function<String, Integer> router, String routesDescription) {
        this.router = router;
        this.routesDescription = routesDescription;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the service proxy: " + e.getMessage(), e);
        }
        threads.execute(this::accept);
    }

    /** The value for {@code HTTP_PROXY}. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        open.add(client);
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            String line = new String(head, StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
            String[] parts = line.split(" ");
            String target = parts.length < 2 ? "" : authority(parts[1]);
            Integer port = router.apply(target);
            if (port == null) {
                reply(client.getOutputStream(), "no route for '" + target + "' (request line: " + line
                        + "); " + routesDescription);
                return;
            }
            try (Socket upstream = new Socket()) {
                open.add(upstream);
                try {
                    upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                } catch (IOException e) {
                    reply(client.getOutputStream(), "cannot connect to " + target + " (127.0.0.1:" + port + "): "
                            + e.getMessage());
                    return;
                }
                upstream.getOutputStream().write(head);
                var back = threads.submit(() -> pipe(upstream.getInputStream(), client.getOutputStream()));
                pipe(in, upstream.getOutputStream());
                upstream.shutdownOutput();
                back.get();
            }
        } catch (Exception e) {
            // the client or the engine closed the connection
        } finally {
            open.removeIf(Socket::isClosed);
        }
    }

    /** "object-store.object-store.svc:7070" from "http://object-store.object-store.svc:7070/velero?x", port 80 default. */
    static String authority(String requestTarget) {
        URI uri = URI.create(requestTarget);
        if (uri.getHost() == null) {
            return requestTarget;
        }
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + (uri.getPort() < 0 ? 80 : uri.getPort());
    }

    private static byte[] readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private static void reply(OutputStream out, String reason) throws IOException {
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static Void pipe(InputStream from, OutputStream to) throws IOException {
        from.transferTo(to);
        to.flush();
        return null;
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket socket : open) {
                socket.close();
            }
        } catch (IOException e) {
            // closing
        }
        threads.shutdownNow();
    }
}
