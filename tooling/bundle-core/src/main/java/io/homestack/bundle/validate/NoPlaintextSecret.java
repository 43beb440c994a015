package io.homestack.bundle.validate;

import io.homestack.bundle.k8s.KubeObject;

import java.util.List;

/** Secrets live in Git only as SealedSecrets. */
final class NoPlaintextSecret implements Rule {

    @Override
    public String id() {
        return "no-plaintext-secret";
    }

    @Override
    public List<String> check(KubeObject object, List<KubeObject> all) {
        if ("Secret".equals(object.kind()) && "v1".equals(object.apiVersion())) {
            return List.of("a plaintext Secret must not be committed; seal it (make seal ENV=<env> IN=<file>) and commit"
                    + " the SealedSecret");
        }
        return List.of();
    }
}
