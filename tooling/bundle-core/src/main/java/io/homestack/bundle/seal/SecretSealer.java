package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seals Secrets into SealedSecrets offline, in Java, exactly as {@code kubeseal --cert} would: every value
 * is encrypted on its own (so one can be replaced later), bound to the scope's label, and the Secret's
 * name, namespace, type, labels and annotations travel in {@code spec.template}.
 *
 * <p>The scope given to {@link #seal(SecretManifest, SealingScope)} always wins over scope annotations on
 * the input, and is written back as annotations on both the SealedSecret and its template, because the
 * controller derives the decryption label from the SealedSecret's annotations.
 */
public final class SecretSealer {

    public static final String API_VERSION = "bitnami.com/v1alpha1";
    public static final String KIND = "SealedSecret";

    private final SealingCertificate certificate;
    private final SecureRandom random;

    public SecretSealer(SealingCertificate certificate) {
        this(certificate, new SecureRandom());
    }

    public SecretSealer(SealingCertificate certificate, SecureRandom random) {
        this.certificate = certificate;
        this.random = random;
    }

    public SealingCertificate certificate() {
        return certificate;
    }

    /** Reads a Secret file and returns the SealedSecret as YAML; what {@code make seal} does. */
    public String sealFile(Path secretFile, SealingScope scope) {
        return SealYaml.write(seal(SealYaml.readFile(secretFile), secretFile.toString(), scope));
    }

    /** Seals a parsed Kubernetes object; {@code source} (usually its file) starts every error message. */
    public Map<String, Object> seal(Map<String, Object> secretObject, String source, SealingScope scope) {
        SecretManifest secret = SecretManifest.fromObject(secretObject, source);
        requireIdentity(source + ": ", secret.namespace(), secret.name(), scope);
        return seal(secret, scope);
    }

    /** Seals with the scope the Secret's own annotations ask for (strict when there are none). */
    public Map<String, Object> seal(SecretManifest secret) {
        return seal(secret, SealingScope.fromAnnotations(secret.annotations()));
    }

    /** Returns the SealedSecret object (ordered like kubeseal's output) ready for {@link SealYaml#write}. */
    public Map<String, Object> seal(SecretManifest secret, SealingScope scope) {
        requireIdentity("", secret.namespace(), secret.name(), scope);
        SecretManifest template = secret.withAnnotations(withScopeAnnotation(secret.annotations(), scope));
        byte[] label = scope.label(secret.namespace(), secret.name());

        Map<String, String> encryptedData = new LinkedHashMap<>();
        secret.data().forEach((key, value) -> encryptedData.put(key, encrypt(value, label)));

        Map<String, Object> templateObject = new LinkedHashMap<>();
        templateObject.put("metadata", template.metadata());
        if (secret.type() != null) {
            templateObject.put("type", secret.type());
        }
        if (secret.immutable() != null) {
            templateObject.put("immutable", secret.immutable());
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("encryptedData", encryptedData);
        spec.put("template", templateObject);

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", secret.name());
        if (secret.namespace() != null && !secret.namespace().isEmpty()) {
            metadata.put("namespace", secret.namespace());
        }
        if (scope.annotation() != null) {
            metadata.put("annotations", Map.of(scope.annotation(), "true"));
        }

        Map<String, Object> sealed = new LinkedHashMap<>();
        sealed.put("apiVersion", API_VERSION);
        sealed.put("kind", KIND);
        sealed.put("metadata", metadata);
        sealed.put("spec", spec);
        return sealed;
    }

    /**
     * Seals one value for a SealedSecret's {@code encryptedData}, like {@code kubeseal --raw}. The key the
     * value will sit under is not part of the ciphertext; namespace and name are, as far as the scope says.
     */
    public String sealValue(String namespace, String name, byte[] value, SealingScope scope) {
        requireIdentity("", namespace, name, scope);
        return encrypt(value, scope.label(namespace, name));
    }

    public String sealValue(String namespace, String name, String value, SealingScope scope) {
        return sealValue(namespace, name, value.getBytes(StandardCharsets.UTF_8), scope);
    }

    /**
     * Returns a copy of an existing SealedSecret with one value added or replaced, sealed for that
     * SealedSecret's own name, namespace and scope; the other values are left as they are.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> resealValue(Map<String, Object> sealedSecret, String source, String key, byte[] value) {
        SealedSecretView view = SealedSecretView.of(sealedSecret, source);
        SecretManifest.checkKey(key, source, view.describe());
        String encrypted = encrypt(value, view.label());
        Map<String, Object> copy = new LinkedHashMap<>(sealedSecret);
        Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) sealedSecret.getOrDefault("spec", Map.of()));
        Map<String, Object> encryptedData = new TreeMap<>(view.encryptedData());
        encryptedData.put(key, encrypted);
        spec.put("encryptedData", encryptedData);
        copy.put("spec", spec);
        return copy;
    }

    private String encrypt(byte[] value, byte[] label) {
        return Base64.getEncoder().encodeToString(HybridCipher.encrypt(certificate.publicKey(), value, label, random));
    }

    static Map<String, String> withScopeAnnotation(Map<String, String> annotations, SealingScope scope) {
        Map<String, String> result = new TreeMap<>(annotations);
        for (SealingScope s : SealingScope.values()) {
            if (s.annotation() != null) {
                result.remove(s.annotation());
            }
        }
        if (scope.annotation() != null) {
            result.put(scope.annotation(), "true");
        }
        return result;
    }

    private static void requireIdentity(String prefix, String namespace, String name, SealingScope scope) {
        String what = "Secret " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/")
                + (name == null || name.isEmpty() ? "(unnamed)" : name);
        if (scope.needsNamespace() && (namespace == null || namespace.isEmpty())) {
            throw new BundleException(prefix + what + " has no metadata.namespace, but a " + scope
                    + " sealed secret is bound to its namespace; set the namespace (or seal it cluster-wide)");
        }
        if (scope == SealingScope.STRICT && (name == null || name.isEmpty())) {
            throw new BundleException(prefix + what + " has no metadata.name, but a strict sealed secret is bound"
                    + " to its name; set the name (or seal it namespace-wide)");
        }
    }
}
