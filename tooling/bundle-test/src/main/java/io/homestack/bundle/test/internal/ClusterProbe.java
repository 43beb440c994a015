package io.homestack.bundle.test.internal;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.homestack.bundle.test.Capability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an existing cluster really has, looked up rather than assumed: a kubeconfig may point at the home cluster,
 * a k3d cluster without the stack, or a containerless preview. Each capability the probe cannot find is missing, with
 * what was looked for.
 */
public final class ClusterProbe {

    static final String SEALED_SECRETS_CRD = "sealedsecrets.bitnami.com";
    static final String SEALED_SECRETS_LABEL = "app.kubernetes.io/name";
    static final String K3D_CERT = "clusters/k3d/sealed-secrets/sealed-secrets-k3d.crt";
    private static Map<Capability, String> kubeconfigMissing;

    private ClusterProbe() {
    }

    /** The kubeconfig cluster's missing capabilities, probed once per JVM (an unreachable cluster lacks everything). */
    static synchronized Map<Capability, String> kubeconfig() {
        if (kubeconfigMissing == null) {
            Config config = Config.autoConfigure(Settings.KUBECONFIG_CONTEXT.value().orElse(null));
            config.setRequestRetryBackoffLimit(1); // an unreachable cluster is reported, not retried for minutes
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                kubeconfigMissing = missing(client, TestBinaries.repoRoot());
            } catch (RuntimeException e) {
                Map<Capability, String> all = new EnumMap<>(Capability.class);
                for (Capability c : Capability.values()) {
                    all.put(c, ClusterPlan.reason(c, "the kubeconfig cluster (" + config.getMasterUrl()
                            + ") does not answer: " + e.getMessage()));
                }
                kubeconfigMissing = all;
            }
        }
        return kubeconfigMissing;
    }

    /** Each capability the cluster lacks, with the reason. */
    public static Map<Capability, String> missing(KubernetesClient client, Path repo) {
        Map<Capability, String> missing = new EnumMap<>(Capability.class);
        if (client.serviceAccounts().inNamespace("default").withName("default").get() == null) {
            missing.put(Capability.CONTROLLERS, ClusterPlan.reason(Capability.CONTROLLERS,
                    "namespace default has no service account, so the controllers do not run"));
        }
        List<Node> ready = client.nodes().list().getItems().stream().filter(ClusterProbe::ready).toList();
        if (ready.isEmpty()) {
            missing.put(Capability.SCHEDULING, ClusterPlan.reason(Capability.SCHEDULING, "the cluster has no Ready node"));
        }
        if (ready.stream().allMatch(n -> n.getMetadata().getAnnotations() != null
                && n.getMetadata().getAnnotations().containsKey("kwok.x-k8s.io/node"))) {
            missing.put(Capability.RUNNING_PODS, ClusterPlan.reason(Capability.RUNNING_PODS,
                    "the cluster has no Ready node with a kubelet (kwok's simulated nodes run no containers)"));
        }
        if (client.storage().v1().storageClasses().list().getItems().stream()
                .noneMatch(c -> !"kubernetes.io/no-provisioner".equals(c.getProvisioner()))) {
            missing.put(Capability.VOLUMES, ClusterPlan.reason(Capability.VOLUMES, "the cluster has no StorageClass that provisions"));
        }
        sealedSecretsProblem(client, repo).ifPresent(why -> missing.put(Capability.SEALED_SECRETS,
                ClusterPlan.reason(Capability.SEALED_SECRETS, why)));
        var controller = client.apps().statefulSets().inNamespace("argocd").withName("argocd-application-controller").get();
        if (controller == null || controller.getStatus() == null || controller.getStatus().getReadyReplicas() == null
                || controller.getStatus().getReadyReplicas() < 1) {
            missing.put(Capability.ARGOCD, ClusterPlan.reason(Capability.ARGOCD, "no ready StatefulSet"
                    + " argocd/argocd-application-controller (bootstrap platform/argocd, or use envtest)"));
        }
        if (client.apiextensions().v1().customResourceDefinitions().withName("certificates.cert-manager.io").get() == null
                || client.apps().deployments().inAnyNamespace().withLabel("app.kubernetes.io/component", "webhook")
                .withLabel("app.kubernetes.io/name", "webhook").list().getItems().stream()
                .noneMatch(d -> d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
                        && d.getStatus().getAvailableReplicas() > 0)) {
            missing.put(Capability.CERT_MANAGER, ClusterPlan.reason(Capability.CERT_MANAGER, "no CRD"
                    + " certificates.cert-manager.io or no available cert-manager webhook Deployment (labels"
                    + " app.kubernetes.io/name=webhook, component=webhook; deploy platform/cert-manager, or use envtest)"));
        }
        return missing;
    }

    /**
     * The tests seal with the repository's k3d test certificate, so a cluster has SEALED_SECRETS only when its
     * controller runs (the CRD, an available Deployment labelled {@code app.kubernetes.io/name=sealed-secrets}) and
     * holds the k3d test key (as a k3d cluster bootstrapped by this repository does).
     */
    static Optional<String> sealedSecretsProblem(KubernetesClient client, Path repo) {
        String deploy = " (deploy platform/sealed-secrets with the k3d test key, or use envtest)";
        if (client.apiextensions().v1().customResourceDefinitions().withName(SEALED_SECRETS_CRD).get() == null) {
            return Optional.of("the cluster has no CRD " + SEALED_SECRETS_CRD + deploy);
        }
        List<Deployment> controllers = client.apps().deployments().inAnyNamespace()
                .withLabel(SEALED_SECRETS_LABEL, "sealed-secrets").list().getItems().stream()
                .filter(d -> d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
                        && d.getStatus().getAvailableReplicas() > 0).toList();
        if (controllers.isEmpty()) {
            return Optional.of("no available sealed-secrets controller Deployment (label " + SEALED_SECRETS_LABEL
                    + "=sealed-secrets)" + deploy);
        }
        String k3dCert;
        try {
            k3dCert = Files.readString(repo.resolve(K3D_CERT), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return Optional.of("cannot read the k3d test certificate " + repo.resolve(K3D_CERT));
        }
        for (Deployment d : controllers) {
            for (Secret key : client.secrets().inNamespace(d.getMetadata().getNamespace())
                    .withLabel("sealedsecrets.bitnami.com/sealed-secrets-key").list().getItems()) {
                String crt = key.getData() == null ? null : key.getData().get("tls.crt");
                if (crt != null && new String(Base64.getDecoder().decode(crt), StandardCharsets.UTF_8).trim().equals(k3dCert)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of("the sealed-secrets controller does not hold the k3d test key, so what the tests seal"
                + " for k3d cannot be unsealed there" + deploy);
    }

    private static boolean ready(Node n) {
        return n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
