package io.homestack.apps.homeautomation;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** HA's REST API as a person's first visit leaves it: onboarded (the owner created), then with the owner's token. */
final class HomeAssistantApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String token;

    private HomeAssistantApi(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Creates the owner through the onboarding API, as the UI does, and logs in with the code it returns. */
    static HomeAssistantApi onboard(int port) throws IOException, InterruptedException {
        String base = "http://127.0.0.1:" + port;
        String client = base + "/";
        Map<String, Object> user = json(send(HttpRequest.newBuilder(URI.create(base + "/api/onboarding/users"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"client_id": "%s", "name": "Owner", "username": "owner", "password": "owner-test-password",
                         "language": "en"}""".formatted(client))), 200));
        String form = "grant_type=authorization_code&code=" + enc(KubeObject.string(user.get("auth_code")))
                + "&client_id=" + enc(client);
        Map<String, Object> token = json(send(HttpRequest.newBuilder(URI.create(base + "/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), 200));
        return new HomeAssistantApi(base, KubeObject.string(token.get("access_token")));
    }

    /**
     * The status of GET /manifest.json sent from the local address {@code from} (any of 127.0.0.0/8 is this host's),
     * with an X-Forwarded-For header unless {@code forwardedFor} is null: the request as a proxy hands it on.
     */
    static int statusFrom(String from, int port, String forwardedFor) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            String request = "GET /manifest.json HTTP/1.1\r\nHost: home.homestack.localhost\r\nConnection: close\r\n"
                    + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /** GET /api/prometheus as the ServiceMonitor does: without any credentials. */
    String metricsWithoutToken() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/prometheus")).GET(), 200);
    }

    void callService(String domain, String service, String body) throws IOException, InterruptedException {
        send(authorized("/api/services/" + domain + "/" + service)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), 200);
    }

    /** The id of the device an entity belongs to, from HA's device registry (what a UI-made automation names). */
    String deviceIdOf(String entity) throws IOException, InterruptedException {
        String id = send(authorized("/api/template").header("Content-Type", "application/json").POST(
                HttpRequest.BodyPublishers.ofString("{\"template\":\"{{ device_id('" + entity + "') }}\"}")), 200);
        if (!id.matches("[0-9a-f]{32}")) {
            throw new AssertionError(entity + " belongs to no device in HA's registry: " + id);
        }
        return id;
    }

    Map<String, Object> awaitState(String entity, String state) throws IOException, InterruptedException {
        return await(entity, s -> state.equals(s.get("state")), "state " + state);
    }

    /** A device's report, repeated every 2 s until the entity has {@code state} (within 60 s). */
    Map<String, Object> reportUntil(Report report, String entity, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            report.send();
            long wait = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < wait) {
                Map<String, Object> current = state(entity);
                if (state.equals(current.get("state"))) {
                    return current;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError(entity + " did not reach state " + state + " within 60 s: " + state(entity));
    }

    /** Publishes a device's state. */
    interface Report {
        void send() throws Exception;
    }

    private Map<String, Object> state(String entity) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(authorized("/api/states/" + entity).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? json(response.body()) : Map.of("state", "(" + response.statusCode() + ")");
    }

    Map<String, Object> awaitAttribute(String entity, String attribute, Object value) throws IOException,
            InterruptedException {
        return await(entity, s -> Objects.equals(KubeObject.path(s, "attributes").get(attribute), value),
                attribute + " = " + value);
    }

    /** Polls the entity's state (60 s) until {@code condition} holds; an entity HA does not know yet is polled on. */
    Map<String, Object> await(String entity, java.util.function.Predicate<Map<String, Object>> condition,
                                      String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "(no answer)";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = HTTP.send(authorized("/api/states/" + entity).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200 && condition.test(json(response.body()))) {
                return json(response.body());
            }
            Thread.sleep(250);
        }
        throw new AssertionError(entity + " did not reach " + what + " within 60 s; last answer: " + last);
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10));
    }

    private static String send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static Map<String, Object> json(String body) {
        return Yaml.readMap(body, "Home Assistant's answer");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
