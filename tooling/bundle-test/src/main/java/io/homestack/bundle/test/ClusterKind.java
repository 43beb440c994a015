package io.homestack.bundle.test;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a {@link TestCluster} comes from; chosen with {@code -Dhomestack.cluster} or {@code HOMESTACK_CLUSTER}. */
public enum ClusterKind {

    /** kube-apiserver + etcd (+ kube-controller-manager, kube-scheduler, kwok) as local processes. No containers. */
    ENVTEST,

    /** A k3s container (testcontainers); needs a Docker engine. */
    K3S,

    /** An existing cluster from {@code KUBECONFIG} or {@code ~/.kube/config}. */
    KUBECONFIG;

    /** The name used in properties and messages: envtest, k3s, kubeconfig. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ClusterKind of(String id) {
        for (ClusterKind kind : values()) {
            if (kind.id().equalsIgnoreCase(id.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown cluster kind '" + id + "': use one of "
                + Arrays.stream(values()).map(ClusterKind::id).collect(Collectors.joining("|")));
    }
}
