package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How far a sealed value may travel. The scope is baked into the ciphertext as the RSA-OAEP label, so a
 * value sealed for one namespace/name cannot be replayed into another; the controller rebuilds the label
 * from the SealedSecret's own name, namespace and scope annotation when it unseals.
 */
public enum SealingScope {

    /** Pinned to one namespace and one name (the default of kubeseal and of the controller). */
    STRICT("strict", null),
    /** Pinned to one namespace; the SealedSecret may be renamed. */
    NAMESPACE_WIDE("namespace-wide", "sealedsecrets.bitnami.com/namespace-wide"),
    /** Unsealable in any namespace under any name. */
    CLUSTER_WIDE("cluster-wide", "sealedsecrets.bitnami.com/cluster-wide");

    private final String cliName;
    private final String annotation;

    SealingScope(String cliName, String annotation) {
        this.cliName = cliName;
        this.annotation = annotation;
    }

    /** The value of kubeseal's {@code --scope} flag. */
    public String cliName() {
        return cliName;
    }

    /** The annotation ({@code "true"}) that marks this scope, or null for strict, which has none. */
    public String annotation() {
        return annotation;
    }

    /** The RSA-OAEP label: {@code namespace/name}, {@code namespace}, or empty, as upstream builds it. */
    public byte[] label(String namespace, String name) {
        String ns = namespace == null ? "" : namespace;
        String label = switch (this) {
            case STRICT -> ns + "/" + (name == null ? "" : name);
            case NAMESPACE_WIDE -> ns;
            case CLUSTER_WIDE -> "";
        };
        return label.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a namespace is part of the label (and therefore must be known when sealing). */
    public boolean needsNamespace() {
        return this != CLUSTER_WIDE;
    }

    /**
     * The scope that a set of annotations selects, with upstream's precedence: cluster-wide beats
     * namespace-wide, and anything else (including {@code "false"} or no annotations) is strict.
     */
    public static SealingScope fromAnnotations(Map<String, String> annotations) {
        if (annotations == null) {
            return STRICT;
        }
        if ("true".equals(annotations.get(CLUSTER_WIDE.annotation))) {
            return CLUSTER_WIDE;
        }
        if ("true".equals(annotations.get(NAMESPACE_WIDE.annotation))) {
            return NAMESPACE_WIDE;
        }
        return STRICT;
    }

    /** Parses kubeseal's spelling ({@code strict}, {@code namespace-wide}, {@code cluster-wide}). */
    public static SealingScope parse(String value) {
        for (SealingScope scope : values()) {
            if (scope.cliName.equals(value)) {
                return scope;
            }
        }
        throw new BundleException("Unknown sealing scope '" + value + "'; expected one of "
                + Arrays.stream(values()).map(SealingScope::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
