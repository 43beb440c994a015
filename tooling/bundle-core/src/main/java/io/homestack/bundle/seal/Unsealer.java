package io.homestack.bundle.seal;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens SealedSecrets with controller private keys, the way the controller does: the label is rebuilt
 * from the SealedSecret's own name, namespace and scope annotations, and every key is tried in turn.
 * What {@code make unseal} (the plugin's {@code unseal} goal) runs for disaster recovery and to prove a key backup
 * opens the SealedSecrets in Git; the cluster itself never needs it.
 */
public final class Unsealer {

    private final List<RSAPrivateKey> keys;

    public Unsealer(List<RSAPrivateKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one private key is needed");
        }
        this.keys = List.copyOf(keys);
    }

    /**
     * Loads private keys from PEM files (PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY}, unencrypted) or
     * from the key backup docs/sealed-secrets.md takes ({@code kubectl get secret -n kube-system -l
     * sealedsecrets.bitnami.com/sealed-secrets-key -o yaml}: a List of, or one, kubernetes.io/tls Secret).
     */
    public static Unsealer load(Path... privateKeyFiles) {
        List<RSAPrivateKey> keys = new ArrayList<>();
        for (Path file : privateKeyFiles) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                keys.addAll(text.contains("-----BEGIN ") ? parseKeys(text, file.toString())
                        : backupKeys(text, file.toString()));
            } catch (NoSuchFileException e) {
                throw new BundleException("Sealed-secrets private key not found: " + file);
            } catch (IOException e) {
                throw new BundleException("Cannot read sealed-secrets private key " + file + ": " + e.getMessage(), e);
            }
        }
        return new Unsealer(keys);
    }

    static List<RSAPrivateKey> parseKeys(String pem, String origin) {
        List<RSAPrivateKey> keys = new ArrayList<>();
        for (Pem.Block block : Pem.blocks(pem)) {
            if (block.encrypted()) {
                throw new BundleException(origin + " holds a passphrase-protected key; decrypt it first (openssl pkey)");
            }
            byte[] pkcs8 = switch (block.type()) {
                case "PRIVATE KEY" -> block.der();
                case "RSA PRIVATE KEY" -> Pem.pkcs1ToPkcs8(block.der());
                default -> null;
            };
            if (pkcs8 != null) {
                try {
                    keys.add((RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
                } catch (GeneralSecurityException | ClassCastException e) {
                    throw new BundleException(origin + " holds a " + block.type() + " that is not a valid RSA private key", e);
                }
            }
        }
        if (keys.isEmpty()) {
            throw new BundleException(origin + " holds no PEM RSA private key");
        }
        return keys;
    }

    /** The {@code tls.key} of every Secret in a kubectl backup (a List or a single Secret, YAML or JSON). */
    private static List<RSAPrivateKey> backupKeys(String yaml, String origin) {
        List<RSAPrivateKey> keys = new ArrayList<>();
        for (Map<String, Object> document : Yaml.readAll(yaml, origin)) {
            List<?> items = "List".equals(document.get("kind")) && document.get("items") instanceof List<?> l ? l
                    : List.of(document);
            for (Object item : items) {
                if (item instanceof Map<?, ?> secret && "Secret".equals(secret.get("kind"))
                        && secret.get("data") instanceof Map<?, ?> data && data.get("tls.key") instanceof String key) {
                    String pem;
                    try {
                        pem = new String(Base64.getDecoder().decode(key.strip()), StandardCharsets.US_ASCII);
                    } catch (IllegalArgumentException e) {
                        throw new BundleException(origin + ": data.tls.key of a Secret is not base64");
                    }
                    keys.addAll(parseKeys(pem, origin));
                }
            }
        }
        if (keys.isEmpty()) {
            throw new BundleException(origin + " holds no PEM RSA private key and no Secret with data.tls.key (the key"
                    + " backup: kubectl get secret -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml)");
        }
        return keys;
    }

    /** Opens one {@code encryptedData} value sealed for this namespace, name and scope. */
    public byte[] unsealValue(String namespace, String name, SealingScope scope, String sealedBase64) {
        byte[] label = scope.label(namespace, name);
        return open(sealedBase64, label,
                "Value unsealed " + scope + " (label '" + new String(label, StandardCharsets.UTF_8) + "')");
    }

    public SecretManifest unsealFile(Path sealedSecretFile) {
        return unseal(SealYaml.readFile(sealedSecretFile), sealedSecretFile.toString());
    }

    /**
     * Returns the Secret the controller would create: identity from the SealedSecret's metadata, type,
     * labels and annotations from its template, every value opened. Templated {@code spec.template.data}
     * (Go templates) is not supported and is reported as such.
     */
    public SecretManifest unseal(Map<String, Object> sealedSecret, String source) {
        SealedSecretView view = SealedSecretView.of(sealedSecret, source);
        Map<String, Object> template = view.template();
        if (template.get("data") instanceof Map<?, ?> data && !data.isEmpty()) {
            throw new BundleException(view.describe() + ": spec.template.data (templated values) is not supported");
        }
        Map<String, byte[]> values = new LinkedHashMap<>();
        view.encryptedData().forEach((key, value) -> values.put(key, open(value, view.label(),
                view.describe() + " (" + view.scope() + "), key '" + key + "'")));

        Map<String, Object> metadata = SealedSecretView.map(template.get("metadata"), source, "spec.template.metadata");
        return new SecretManifest(view.name(), view.namespace(),
                template.get("type") == null ? null : String.valueOf(template.get("type")),
                template.get("immutable") instanceof Boolean b ? b : null,
                strings(metadata.get("labels"), source), strings(metadata.get("annotations"), source), values);
    }

    private byte[] open(String sealedBase64, byte[] label, String what) {
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(sealedBase64.strip());
        } catch (IllegalArgumentException e) {
            throw new BundleException(what + ": not base64");
        }
        HybridCipher.WrongKeyOrLabelException last = null;
        for (RSAPrivateKey key : keys) {
            try {
                return HybridCipher.decrypt(key, ciphertext, label);
            } catch (HybridCipher.WrongKeyOrLabelException e) {
                last = e;
            }
        }
        throw new BundleException(what + ": none of the " + keys.size() + " private key(s) can unseal it ("
                + last.getMessage() + "); it was sealed with another key, or for another namespace, name or scope", last);
    }

    private static Map<String, String> strings(Object value, String source) {
        Map<String, String> result = new LinkedHashMap<>();
        SealedSecretView.map(value, source, "spec.template.metadata").forEach((k, v) -> result.put(k, String.valueOf(v)));
        return result;
    }
}
