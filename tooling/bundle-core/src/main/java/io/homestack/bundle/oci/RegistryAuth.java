package io.homestack.bundle.oci;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers registry challenges: Basic with the configured credentials, or the Bearer token flow (GET the realm
 * with service and scope, Basic credentials if any, use the returned token). Headers are cached per scope so that
 * only the first request of a repository is challenged.
 */
final class RegistryAuth {

    private final Credentials credentials;
    private final HttpClient client;
    private final Duration timeout;
    private volatile String basic;
    private final Map<String, String> bearerByScope = new ConcurrentHashMap<>();

    RegistryAuth(Credentials credentials, HttpClient client, Duration timeout) {
        this.credentials = credentials;
        this.client = client;
        this.timeout = timeout;
    }

    boolean anonymous() {
        return credentials.isAnonymous();
    }

    /** The Authorization header to send for {@code scope}, or null. */
    String header(String scope) {
        String bearer = bearerByScope.get(scope);
        return bearer != null ? bearer : basic;
    }

    /**
     * Called on a 401. Returns true if there is now a different Authorization header worth one more attempt; false
     * lets the 401 stand (no usable challenge, no credentials for Basic, or the same header was already refused).
     */
    boolean authenticate(Operation op, String scope, List<String> challenges, String refused) throws TransientFailure {
        AuthChallenge challenge = AuthChallenge.select(challenges).orElse(null);
        if (challenge == null) {
            return false;
        }
        String header;
        if (challenge.isBasic()) {
            if (credentials.isAnonymous()) {
                return false;
            }
            header = credentials.basicHeader();
            basic = header;
        } else {
            header = "Bearer " + fetchToken(op, challenge, scope);
            bearerByScope.put(scope, header);
        }
        return !header.equals(refused);
    }

    private String fetchToken(Operation op, AuthChallenge challenge, String scope) throws TransientFailure {
        String realm = challenge.param("realm");
        StringBuilder query = new StringBuilder();
        addParam(query, "service", challenge.param("service"));
        addParam(query, "scope", scope);
        String challenged = challenge.param("scope");
        if (challenged != null && !challenged.equals(scope)) {
            addParam(query, "scope", challenged);
        }
        URI uri;
        try {
            uri = URI.create(realm + (query.length() == 0 ? "" : (realm.contains("?") ? "&" : "?") + query));
        } catch (IllegalArgumentException e) {
            throw op.fail("the registry sent an invalid token realm '" + realm + "'");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (!credentials.isAnonymous()) {
            request.header("Authorization", credentials.basicHeader());
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TransientFailure(RegistryHttp.connectionProblem(e), "(token service " + realm + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw op.fail("interrupted");
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            throw new TransientFailure(HttpText.status(status), "(token service " + realm + ")", null);
        }
        if (status != 200) {
            String who = credentials.isAnonymous() ? "anonymous access" : "the credentials of user " + credentials.username();
            throw op.fail("the token service " + realm + " refused " + who + ": " + HttpText.describe(response));
        }
        try {
            JsonNode body = CanonicalJson.parse(response.body());
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw op.fail("the token service " + realm + " answered without a token");
            }
            return token;
        } catch (IOException e) {
            throw op.fail("the token service " + realm + " answered with invalid JSON");
        }
    }

    private static void addParam(StringBuilder query, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (query.length() > 0) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
