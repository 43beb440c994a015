package io.homestack.nzbget.exporter;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How the exporter is configured: environment variables, the login also from files (a mounted Secret).
 *
 * <pre>
 *   NZBGET_URL           nzbget's web address (the API is its /jsonrpc), default http://localhost:6789 (the pod's
 *                        nzbget container)
 *   NZBGET_USER[_FILE]   nzbget's ControlUsername (the file wins; Secret nzbget-credentials, key username) - the
 *   NZBGET_PASS[_FILE]   same variable names the nzbget container reads; ControlPassword (key password)
 *   NZBGET_TIMEOUT       seconds one scrape waits for nzbget's answers, default 5 (Prometheus waits 10)
 *   METRICS_PORT         Prometheus /metrics, default 9452 (frebib's exporter's port)
 * </pre>
 *
 * No login at all is allowed (nzbget with an empty ControlPassword needs none); a user without a password, or the
 * reverse, is a mistake and refused.
 */
public record Settings(URI nzbgetUrl, String username, String password, Duration timeout, int metricsPort) {

    public static Settings from(Map<String, String> env) {
        String user = secret(env, "NZBGET_USER");
        String pass = secret(env, "NZBGET_PASS");
        if ((user == null) != (pass == null)) {
            String missing = user == null ? "NZBGET_USER" : "NZBGET_PASS";
            throw new IllegalArgumentException(missing + " (or " + missing + "_FILE) is not set, but "
                    + (user == null ? "NZBGET_PASS" : "NZBGET_USER") + " is: nzbget's login needs both");
        }
        int timeout = number(env, "NZBGET_TIMEOUT", 5, 1, 300);
        return new Settings(url(env.getOrDefault("NZBGET_URL", "http://localhost:6789")), user, pass,
                Duration.ofSeconds(timeout), number(env, "METRICS_PORT", 9452, 0, 65535));
    }

    /** The API endpoint: {@code <NZBGET_URL>/jsonrpc}. */
    public URI jsonRpc() {
        String base = nzbgetUrl.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "jsonrpc");
    }

    /** {@code NAME_FILE} (a mounted Secret key, trailing newline dropped) before {@code NAME}; null when neither is set. */
    static String secret(Map<String, String> env, String name) {
        String file = env.get(name + "_FILE");
        String value;
        if (file == null) {
            value = env.get(name);
        } else {
            try {
                value = Files.readString(Path.of(file)).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(name + "_FILE=" + file + ": cannot read (" + e + ")", e);
            }
        }
        return value == null || value.isEmpty() ? null : value;
    }

    private static URI url(String value) {
        try {
            URI uri = new URI(value.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new URISyntaxException(value, "not an http(s)://host[:port][/path] address without login,"
                        + " query or fragment");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("NZBGET_URL='" + value + "': " + e.getReason(), e);
        }
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + "='" + value + "' is not between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + value + "' is not a number", e);
        }
    }

    @Override
    public String toString() {
        return "Settings[" + nzbgetUrl + (username == null ? " without login" : " as " + username) + ", timeout "
                + timeout.toSeconds() + " s, metrics :" + metricsPort + "]";
    }
}
