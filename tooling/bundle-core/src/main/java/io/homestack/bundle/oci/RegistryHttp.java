package io.homestack.bundle.oci;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Sends one registry request: attaches and renews authorization, turns connection failures, 5xx and 429 into
 * {@link TransientFailure}s, and returns every other answer for the caller to judge.
 */
final class RegistryHttp {

    private static final int MAX_REDIRECTS = 5;

    private final HttpClient client;
    private final RegistryAuth auth;
    private final Duration requestTimeout;

    RegistryHttp(HttpClient client, RegistryAuth auth, Duration requestTimeout) {
        this.client = client;
        this.auth = auth;
        this.requestTimeout = requestTimeout;
    }

    boolean anonymous() {
        return auth.anonymous();
    }

    /** @param scope token scope, e.g. "repository:homestack/media:pull,push" */
    <T> HttpResponse<T> send(Operation op, String scope, HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
            throws TransientFailure {
        String header = auth.header(scope);
        HttpResponse<T> response = exchange(op, authorized(request, header), handler);
        if (response.statusCode() == 401
                && auth.authenticate(op, scope, response.headers().allValues("WWW-Authenticate"), header)) {
            discard(response);
            response = exchange(op, authorized(request, auth.header(scope)), handler);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            String excerpt = HttpText.excerpt(response.body());
            throw new TransientFailure(HttpText.status(status), "(from " + response.request().method() + " "
                    + response.request().uri().getRawPath() + (excerpt.isEmpty() ? "" : ": " + excerpt) + ")", null);
        }
        return response;
    }

    /**
     * Like {@link #send}, following redirects by hand: blob downloads may be redirected to storage on another host,
     * which must not receive the registry's Authorization header.
     */
    <T> HttpResponse<T> sendFollowingRedirects(Operation op, String scope, URI uri, HttpResponse.BodyHandler<T> handler)
            throws TransientFailure {
        HttpResponse<T> response = send(op, scope, HttpRequest.newBuilder(uri).GET(), handler);
        for (int hop = 0; hop < MAX_REDIRECTS && isRedirect(response.statusCode()); hop++) {
            URI from = response.request().uri();
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null) {
                return response;
            }
            discard(response);
            URI next = from.resolve(URI.create(location));
            HttpRequest.Builder request = HttpRequest.newBuilder(next).GET();
            response = Objects.equals(next.getAuthority(), from.getAuthority())
                    ? send(op, scope, request, handler)
                    : exchange(op, authorized(request, null), handler);
        }
        return response;
    }

    private HttpRequest authorized(HttpRequest.Builder request, String header) {
        HttpRequest.Builder copy = request.copy().timeout(requestTimeout);
        if (header != null) {
            copy.setHeader("Authorization", header);
        }
        return copy.build();
    }

    private <T> HttpResponse<T> exchange(Operation op, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws TransientFailure {
        try {
            return client.send(request, handler);
        } catch (SSLException e) {
            throw op.fail("TLS failed talking to " + op.registry() + " (" + e.getMessage() + "); if it serves plain "
                    + "HTTP, configure it as a plain-HTTP registry", e);
        } catch (IOException e) {
            throw new TransientFailure(connectionProblem(e), hint(e, op.registry()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw op.fail("interrupted");
        }
    }

    /** A short name for a network failure; the JDK often leaves the exception message empty. */
    static String connectionProblem(IOException e) {
        if (has(e, HttpConnectTimeoutException.class)) {
            return "connection timed out";
        }
        if (has(e, HttpTimeoutException.class)) {
            return "request timed out";
        }
        if (has(e, ConnectException.class)) {
            return "connection refused";
        }
        if (has(e, UnknownHostException.class) || has(e, UnresolvedAddressException.class)) {
            return "unknown host";
        }
        return "connection failed (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
    }

    private static String hint(IOException e, String registry) {
        if (has(e, UnknownHostException.class) || has(e, UnresolvedAddressException.class)) {
            return "(is '" + registry + "' the right registry name?)";
        }
        return has(e, ConnectException.class) ? "(is the registry running?)" : "(is the registry reachable?)";
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to release beyond the connection
            }
        }
    }
}
