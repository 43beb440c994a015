package io.homestack.bundle.validate;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.SecretObjects;

import java.util.List;

/**
 * Secrets live in Git only as SealedSecrets: no object is a core/v1 Secret, and none carries one inside it (a List's
 * items, an Application's Helm values, YAML text). Judged on content ({@link SecretObjects}); cannot be opted out of.
 */
final class NoPlaintextSecret implements Rule {

    static final String FIX = "seal it (make seal ENV=<env> IN=<file>) and commit the SealedSecret";

    @Override
    public String id() {
        return "no-plaintext-secret";
    }

    @Override
    public boolean optOutAllowed() {
        return false;
    }

    @Override
    public List<String> check(KubeObject object, List<KubeObject> all) {
        return SecretObjects.find(object.body()).stream()
                .map(path -> path.isEmpty() ? "a plaintext Secret must not be committed; " + FIX
                        : "holds a plaintext Secret object at " + path + "; " + FIX)
                .toList();
    }
}
