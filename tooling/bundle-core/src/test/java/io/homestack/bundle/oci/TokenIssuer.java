package io.homestack.bundle.oci;

import io.homestack.bundle.AtomicDirectory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token service for {@link LocalRegistry.Builder#tokenAuth}: the Docker registry token flow, so that tests
 * exercise a real registry's Bearer challenge. It grants every requested repository action to one user (given
 * with HTTP Basic) and refuses everyone else; tokens are RS256 JWTs carrying their certificate in {@code x5c}, which
 * the registry checks against {@link #certificatePem()}. The key pair comes from the JDK's keytool.
 */
public final class TokenIssuer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Path dir;
    private final String username;
    private final String password;
    private final PrivateKey key;
    private final byte[] certificate;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private TokenIssuer(Path dir, String username, String password) throws IOException, GeneralSecurityException {
        this.dir = dir;
        this.username = username;
        this.password = password;
        Path keystore = dir.resolve("token.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Exec.run(List.of(keytool.toString(), "-genkeypair", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048",
                "-sigalg", "SHA256withRSA", "-dname", "CN=homestack-test-token-issuer", "-startdate", "-1d",
                "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        this.key = (PrivateKey) store.getKey("token", "changeit".toCharArray());
        Certificate cert = store.getCertificate("token");
        this.certificate = cert.getEncoded();
        Files.writeString(certificatePem(), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate)
                + "\n-----END CERTIFICATE-----\n");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::handle);
        server.start();
    }

    /** Starts a token service that accepts {@code username}/{@code password}. */
    public static TokenIssuer start(String username, String password) {
        try {
            return new TokenIssuer(Files.createTempDirectory("homestack-token-"), username, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the test token service", e);
        }
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public String service() {
        return "homestack-test-registry";
    }

    public String issuer() {
        return "homestack-test-issuer";
    }

    public Path certificatePem() {
        return dir.resolve("token.pem");
    }

    public int tokensIssued() {
        return issued.get();
    }

    public int requestsRefused() {
        return refused.get();
    }

    @Override
    public void close() {
        server.stop(0);
        AtomicDirectory.deleteQuietly(dir);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                return;
            }
            List<String> scopes = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery();
            for (String param : query == null ? new String[0] : query.split("&")) {
                if (param.startsWith("scope=")) {
                    scopes.add(URLDecoder.decode(param.substring("scope=".length()), StandardCharsets.UTF_8));
                }
            }
            String token = jwt(scopes);
            issued.incrementAndGet();
            respond(exchange, 200, JSON.createObjectNode().put("token", token).put("access_token", token)
                    .put("expires_in", 300).toString());
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private String jwt(List<String> scopes) throws GeneralSecurityException {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate));
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode().put("iss", issuer()).put("sub", username).put("aud", service())
                .put("exp", now + 300).put("nbf", now - 60).put("iat", now).put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            // repository:<name>:<actions>; the name itself may not contain ':' in our tests
            String[] parts = scope.split(":");
            if (parts.length == 3) {
                ObjectNode grant = access.addObject().put("type", parts[0]).put("name", parts[1]);
                ArrayNode actions = grant.putArray("actions");
                for (String action : parts[2].split(",")) {
                    actions.add(action);
                }
            }
        }
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = url.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + url.encodeToString(signature.sign());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
