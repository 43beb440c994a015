package io.homestack.nzbget.exporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * nzbget's JSON-RPC API ({@code POST <url>/jsonrpc}, {@code {"method": ..., "params": [...], "id": n}}) with HTTP basic
 * authentication, the login nzbget's web UI uses. Every failure becomes an {@link NzbgetException} whose message is the
 * reason a person can act on (refused connection, wrong login, timeout, an answer that is not JSON-RPC).
 */
public final class NzbgetClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final HttpClient http;
    private final String authorization;
    private final AtomicLong ids = new AtomicLong();

    public NzbgetClient(Settings settings) {
        this.settings = settings;
        // No proxy: nzbget is the pod's other container (localhost); a proxy of the environment must not carry the login.
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1).executor(Exporter.smallPool("nzbget-client")).build();
        this.authorization = settings.username() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
    }

    /** Calls one method; its {@code result}, or the reason it has none. */
    public JsonNode call(String method, Object... params) throws NzbgetException {
        try {
            return callAsync(method, params).join();
        } catch (CompletionException e) {
            throw reason(e);
        }
    }

    /** The methods without parameters, in parallel: their results in the same order, or the first failure. */
    public List<JsonNode> callAll(List<String> methods) throws NzbgetException {
        List<CompletableFuture<JsonNode>> calls = methods.stream().map(m -> callAsync(m)).toList();
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw reason(e);
        }
        return calls.stream().map(CompletableFuture::join).toList();
    }

    /** The reason a call failed: ours, or (a bug, not nzbget) the unexpected exception named. */
    private static NzbgetException reason(CompletionException e) {
        return e.getCause() instanceof NzbgetException reason ? reason
                : new NzbgetException("calling nzbget failed: " + e.getCause());
    }

    private CompletableFuture<JsonNode> callAsync(String method, Object... params) {
        ObjectNode request = JSON.createObjectNode().put("method", method).put("id", ids.incrementAndGet());
        ArrayNode array = request.putArray("params");
        for (Object param : params) {
            array.add(JSON.valueToTree(param));
        }
        URI uri = settings.jsonRpc();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString(), StandardCharsets.UTF_8));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        throw new CompletionException(failure(method, error instanceof CompletionException
                                && error.getCause() != null ? error.getCause() : error));
                    }
                    try {
                        return result(method, response.statusCode(), response.body());
                    } catch (NzbgetException e) {
                        throw new CompletionException(e);
                    }
                });
    }

    /** The {@code result} of an answer, or why there is none. */
    JsonNode result(String method, int status, String body) throws NzbgetException {
        if (status == 401) {
            throw new NzbgetException(authorization == null
                    ? "nzbget asks for a login (HTTP 401) and NZBGET_USER/NZBGET_PASS are not set"
                    : "nzbget refused the login of user '" + settings.username() + "' (HTTP 401): NZBGET_USER/NZBGET_PASS"
                    + " are not nzbget's ControlUsername/ControlPassword");
        }
        if (status != 200) {
            throw new NzbgetException("nzbget answered " + method + " with HTTP " + status + " at " + settings.jsonRpc());
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new NzbgetException("nzbget's answer to " + method + " is not JSON (" + abbreviate(body) + ")");
        }
        if (answer == null || !answer.isObject()) {
            throw new NzbgetException("nzbget's answer to " + method + " is not a JSON-RPC answer (" + abbreviate(body) + ")");
        }
        if (answer.hasNonNull("error")) {
            JsonNode error = answer.get("error");
            throw new NzbgetException("nzbget's " + method + " failed: " + (error.hasNonNull("message")
                    ? error.get("message").asText() : error.toString()));
        }
        if (!answer.has("result")) {
            throw new NzbgetException("nzbget's answer to " + method + " has no result (" + abbreviate(body) + ")");
        }
        return answer.get("result");
    }

    private NzbgetException failure(String method, Throwable error) {
        String url = settings.jsonRpc().toString();
        if (error instanceof HttpConnectTimeoutException) {
            return new NzbgetException("cannot connect to " + url + " within " + settings.timeout().toSeconds() + " s");
        }
        if (error instanceof HttpTimeoutException) {
            return new NzbgetException("nzbget did not answer " + method + " within " + settings.timeout().toSeconds()
                    + " s at " + url);
        }
        if (error instanceof ConnectException) {
            return new NzbgetException("cannot connect to " + url + " (" + (error.getMessage() == null
                    ? "connection refused" : error.getMessage()) + ")");
        }
        return new NzbgetException("calling " + method + " at " + url + " failed: " + error);
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() > 120 ? flat.substring(0, 120) + "..." : flat;
    }

    /** Why nzbget's API gave no answer; the message says it for the log. */
    public static final class NzbgetException extends Exception {

        public NzbgetException(String message) {
            super(message);
        }
    }
}
