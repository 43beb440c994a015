package io.homestack.bundle.test.internal;

import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.ClusterKind;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which cluster a test class gets and what it will be able to do, known before anything starts, so that a test
 * needing a missing capability is skipped without starting a cluster.
 *
 * @param apiOnly envtest with only kube-apiserver and etcd ({@code -Dhomestack.envtest.components=api})
 * @param argocd  envtest runs Argo CD too (the test class requires {@link Capability#ARGOCD})
 * @param certManager envtest runs the cert-manager simulation (the test class requires {@link Capability#CERT_MANAGER})
 * @param missing each capability the cluster lacks, with the reason a test needing it is skipped
 */
public record ClusterPlan(ClusterKind kind, String topology, boolean apiOnly, boolean argocd, boolean certManager,
                          Map<Capability, String> missing) {

    public ClusterPlan {
        missing = Collections.unmodifiableMap(missing.isEmpty() ? new EnumMap<>(Capability.class) : new EnumMap<>(missing));
    }

    /**
     * The plan; a capability is claimed only where it is really there: envtest runs what it needs itself, a bare k3s
     * container has what k3s ships (no sealed-secrets controller), a kubeconfig cluster is probed
     * ({@link ClusterProbe}, once per JVM).
     */
    public static ClusterPlan of(ClusterKind kind, String topology, boolean apiOnly) {
        return of(kind, topology, apiOnly, false);
    }

    /** @param argocd whether the tests need {@link Capability#ARGOCD} (envtest then starts Argo CD) */
    public static ClusterPlan of(ClusterKind kind, String topology, boolean apiOnly, boolean argocd) {
        return of(kind, topology, apiOnly, argocd, false);
    }

    /** @param certManager whether the tests need {@link Capability#CERT_MANAGER} (envtest then starts its simulation) */
    public static ClusterPlan of(ClusterKind kind, String topology, boolean apiOnly, boolean argocd, boolean certManager) {
        return of(kind, topology, apiOnly, argocd, certManager, ClusterProbe::kubeconfig);
    }

    static ClusterPlan of(ClusterKind kind, String topology, boolean apiOnly, Supplier<Map<Capability, String>> kubeconfigProbe) {
        return of(kind, topology, apiOnly, false, false, kubeconfigProbe);
    }

    /** @param kubeconfigProbe the kubeconfig cluster's missing capabilities (asked only for that kind) */
    static ClusterPlan of(ClusterKind kind, String topology, boolean apiOnly, boolean argocd, boolean certManager,
                          Supplier<Map<Capability, String>> kubeconfigProbe) {
        Map<Capability, String> missing = new EnumMap<>(Capability.class);
        if (kind == ClusterKind.K3S) {
            missing.put(Capability.SEALED_SECRETS, reason(Capability.SEALED_SECRETS, "a bare k3s container runs no"
                    + " sealed-secrets controller (the platform/sealed-secrets bundle deploys it through Argo CD); use envtest,"
                    + " or a kubeconfig cluster that runs it with the k3d test key"));
            missing.put(Capability.ARGOCD, reason(Capability.ARGOCD, "a bare k3s container runs no Argo CD; use envtest"
                    + " or a kubeconfig cluster that runs it"));
            missing.put(Capability.CERT_MANAGER, reason(Capability.CERT_MANAGER, "a bare k3s container runs no"
                    + " cert-manager (the platform/cert-manager bundle deploys it through Argo CD); use envtest (simulated)"
                    + " or a kubeconfig cluster that runs it"));
        }
        if (kind == ClusterKind.KUBECONFIG) {
            missing.putAll(kubeconfigProbe.get());
        }
        if (kind == ClusterKind.ENVTEST) {
            missing.put(Capability.RUNNING_PODS, reason(Capability.RUNNING_PODS,
                    "envtest has none (run with -Dhomestack.cluster=k3s or kubeconfig)"));
            if (!argocd || apiOnly) {
                missing.put(Capability.ARGOCD, reason(Capability.ARGOCD, apiOnly
                        ? "envtest runs only kube-apiserver and etcd (-D" + Settings.ENVTEST_COMPONENTS.property() + "=api)"
                        : "envtest starts Argo CD only for a test class that declares @RequiresCapability(ARGOCD)"));
            }
            if (!certManager || apiOnly) {
                missing.put(Capability.CERT_MANAGER, reason(Capability.CERT_MANAGER, apiOnly
                        ? "envtest runs only kube-apiserver and etcd (-D" + Settings.ENVTEST_COMPONENTS.property() + "=api)"
                        : "envtest starts its cert-manager simulation only for a test class that declares"
                        + " @RequiresCapability(CERT_MANAGER)"));
            }
            if (apiOnly) {
                String why = "envtest runs only kube-apiserver and etcd (-D" + Settings.ENVTEST_COMPONENTS.property()
                        + "=api; use all, the default, with the binaries from build.sh)";
                for (Capability c : EnumSet.of(Capability.CONTROLLERS, Capability.SCHEDULING, Capability.VOLUMES,
                        Capability.SEALED_SECRETS)) {
                    missing.put(c, reason(c, why));
                }
            }
        }
        boolean envtestFull = kind == ClusterKind.ENVTEST && !apiOnly;
        return new ClusterPlan(kind, topology, apiOnly, argocd && envtestFull, certManager && envtestFull, missing);
    }

    static String reason(Capability capability, String why) {
        return "needs " + capability.needs() + "; " + why;
    }

    /** Clusters are shared per JVM by this key: one per kind, and on envtest one per topology. */
    public String key() {
        return kind == ClusterKind.ENVTEST ? kind.id() + "/" + topology + (apiOnly ? "/api" : "") + (argocd ? "/argocd" : "")
                + (certManager ? "/cert-manager" : "")
                : kind.id();
    }

    public Set<Capability> capabilities() {
        Set<Capability> all = EnumSet.allOf(Capability.class);
        all.removeAll(missing.keySet());
        return Collections.unmodifiableSet(all);
    }

    public Optional<String> skipReason(Capability capability) {
        return Optional.ofNullable(missing.get(capability));
    }
}
