package io.homestack.bundle.validate;

/** One broken rule, with everything a user needs to find and fix it. */
public record Violation(String bundle, String environment, String file, String object, String rule, String message) {

    @Override
    public String toString() {
        return "[" + bundle + "] " + file + " (" + environment + "): " + object + ": rule '" + rule + "': " + message;
    }
}
