package io.homestack.bundle.validate;

import io.homestack.bundle.k8s.KubeObject;

import java.util.List;

/**
 * A policy every bundle obeys. An object opts out of one rule with the annotation
 * {@code policy.homestack.io/skip-<rule id>: "<reason>"}; the reason is required.
 */
public interface Rule {

    String OPT_OUT_PREFIX = "policy.homestack.io/skip-";

    String id();

    /** @param all every object of the environment, for rules that relate objects to each other */
    List<String> check(KubeObject object, List<KubeObject> all);

    default boolean optOutAllowed() {
        return true;
    }
}
