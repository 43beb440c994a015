package io.homestack.bundle.test;

import io.homestack.bundle.test.internal.TestBinaries;

/** The versions pinned in {@code tooling/k8s-test-binaries/versions.env}, for tests that check them. */
public final class PinnedVersions {

    private PinnedVersions() {
    }

    /** K8S_VERSION, e.g. v1.35.4: what envtest runs and what the k3s image is chosen by. */
    public static String kubernetes() {
        return TestBinaries.locate().kubernetesVersion();
    }

    /** Any KEY of versions.env, e.g. CRD_ISTIO_VERSION. */
    public static String of(String key) {
        return TestBinaries.locate().version(key);
    }
}
