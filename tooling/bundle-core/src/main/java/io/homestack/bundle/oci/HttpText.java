package io.homestack.bundle.oci;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Human-readable descriptions of registry answers for error messages. */
final class HttpText {

    private static final int EXCERPT_LENGTH = 300;

    private HttpText() {
    }

    /** e.g. "GET /v2/homestack/x/manifests/1.0 returned HTTP 404 Not Found: MANIFEST_UNKNOWN: manifest unknown" */
    static String describe(HttpResponse<?> response) {
        String excerpt = excerpt(response.body());
        return response.request().method() + " " + response.request().uri().getRawPath() + " returned "
                + status(response.statusCode()) + (excerpt.isEmpty() ? "" : ": " + excerpt);
    }

    static String status(int code) {
        String reason = switch (code) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
        return "HTTP " + code + (reason.isEmpty() ? "" : " " + reason);
    }

    /** The OCI error codes and messages of a body, else its first characters; consumes a stream body. */
    static String excerpt(Object body) {
        byte[] bytes;
        if (body instanceof byte[] b) {
            bytes = b;
        } else if (body instanceof InputStream in) {
            try (in) {
                bytes = in.readNBytes(4096);
            } catch (IOException e) {
                return "";
            }
        } else {
            return body instanceof String s ? shorten(s) : "";
        }
        if (bytes.length == 0) {
            return "";
        }
        try {
            JsonNode errors = CanonicalJson.parse(bytes).path("errors");
            List<String> parts = new ArrayList<>();
            for (JsonNode error : errors) {
                String message = error.path("message").asText("");
                parts.add(error.path("code").asText("?") + (message.isEmpty() ? "" : ": " + message));
            }
            if (!parts.isEmpty()) {
                return shorten(String.join("; ", parts));
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through to the raw text
        }
        return shorten(new String(bytes, StandardCharsets.UTF_8));
    }

    private static String shorten(String s) {
        String oneLine = s.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= EXCERPT_LENGTH ? oneLine : oneLine.substring(0, EXCERPT_LENGTH) + "...";
    }
}
