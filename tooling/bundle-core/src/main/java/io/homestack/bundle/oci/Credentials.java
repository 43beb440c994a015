package io.homestack.bundle.oci;

import io.homestack.bundle.BundleException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Registry credentials (Maven settings.xml {@code <server>} username and password, or a token as password).
 * Both null means anonymous. {@link #toString()} never shows the password.
 */
public record Credentials(String username, String password) {

    private static final Credentials ANONYMOUS = new Credentials(null, null);

    public Credentials {
        if (username == null && password != null) {
            throw new BundleException("Registry credentials have a password but no username; registries that take "
                    + "a token as password still need some username");
        }
        if (username != null && password == null) {
            password = ""; // a settings.xml server with only a username
        }
    }

    public static Credentials anonymous() {
        return ANONYMOUS;
    }

    public static Credentials basic(String username, String password) {
        return new Credentials(username, password);
    }

    public boolean isAnonymous() {
        return username == null;
    }

    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return isAnonymous() ? "Credentials[anonymous]" : "Credentials[" + username + ", password ****]";
    }
}
