package io.homestack.bundle.oci;

import java.util.regex.Pattern;

/** The OCI distribution grammar for repository names and tags. */
final class References {

    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    static final Pattern NAME_COMPONENT = Pattern.compile(COMPONENT);
    static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private References() {
    }

    static boolean isTag(String s) {
        return s != null && TAG.matcher(s).matches();
    }

    static boolean isRepository(String s) {
        return s != null && REPOSITORY.matcher(s).matches();
    }
}
