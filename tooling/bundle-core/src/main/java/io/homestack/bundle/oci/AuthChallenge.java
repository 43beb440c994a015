package io.homestack.bundle.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code WWW-Authenticate} challenge, e.g.
 * {@code Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull,push"}.
 * Parameter values may be quoted and contain commas, hence a small parser rather than a split.
 *
 * @param scheme lower case: "basic" or "bearer" (others are ignored)
 */
record AuthChallenge(String scheme, Map<String, String> params) {

    boolean isBearer() {
        return "bearer".equals(scheme);
    }

    boolean isBasic() {
        return "basic".equals(scheme);
    }

    String param(String name) {
        return params.get(name);
    }

    /** The most useful challenge among the header values: Bearer over Basic. */
    static Optional<AuthChallenge> select(List<String> headerValues) {
        AuthChallenge basic = null;
        for (String value : headerValues) {
            AuthChallenge challenge = parse(value);
            if (challenge.isBearer() && challenge.param("realm") != null) {
                return Optional.of(challenge);
            }
            if (challenge.isBasic()) {
                basic = challenge;
            }
        }
        return Optional.ofNullable(basic);
    }

    static AuthChallenge parse(String header) {
        String h = header.strip();
        int space = h.indexOf(' ');
        String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        int i = space < 0 ? h.length() : space + 1;
        while (i < h.length()) {
            while (i < h.length() && (h.charAt(i) == ',' || Character.isWhitespace(h.charAt(i)))) {
                i++;
            }
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = h.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            i = eq + 1;
            if (i < h.length() && h.charAt(i) == '"') {
                for (i++; i < h.length() && h.charAt(i) != '"'; i++) {
                    if (h.charAt(i) == '\\' && i + 1 < h.length()) {
                        i++;
                    }
                    value.append(h.charAt(i));
                }
                i++; // closing quote
            } else {
                for (; i < h.length() && h.charAt(i) != ','; i++) {
                    value.append(h.charAt(i));
                }
            }
            params.put(key, value.toString().strip());
        }
        return new AuthChallenge(scheme, params);
    }
}
