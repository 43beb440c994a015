package io.homestack.bundle.test.envtest;

import io.fabric8.kubeapitest.cert.CertManager;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What makes envtest a cluster with nodes: kube-controller-manager, kube-scheduler and kwok (managing only the nodes
 * annotated {@value #KWOK_ANNOTATION}{@code : fake}, with kwok-stages.yaml: nodes Ready, bound pods Running).
 */
final class NodeComponents {

    static final String KWOK_ANNOTATION = "kwok.x-k8s.io/node";
    static final List<String> BINARIES = List.of("kube-controller-manager", "kube-scheduler", "kwok", "kwok-stages.yaml");

    private NodeComponents() {
    }

    /** Launches them; they wait for the API server themselves. */
    static void launch(ProcessGroup processes, Path binDir, Path kubeconfigFile, Path pki) {
        String cert = pki.resolve(CertManager.API_SERVER_CERT_NAME).toString();
        String key = pki.resolve(CertManager.API_SERVER_KEY_NAME).toString();
        String kubeconfig = kubeconfigFile.toString();
        processes.launch("kube-controller-manager", List.of(bin(binDir, "kube-controller-manager"), "--kubeconfig", kubeconfig,
                "--bind-address", "127.0.0.1", "--secure-port", "0", "--leader-elect=false",
                "--root-ca-file", cert, "--service-account-private-key-file", key,
                "--use-service-account-credentials", "--controllers", "*,-nodeipam"), Map.of());
        processes.launch("kube-scheduler", List.of(bin(binDir, "kube-scheduler"), "--kubeconfig", kubeconfig,
                "--bind-address", "127.0.0.1", "--secure-port", "0", "--leader-elect=false"), Map.of());
        processes.launch("kwok", List.of(bin(binDir, "kwok"), "--kubeconfig", kubeconfig, "--config", bin(binDir, "kwok-stages.yaml"),
                "--manage-all-nodes=false", "--manage-nodes-with-annotation-selector", KWOK_ANNOTATION + "=fake",
                "--cidr", "10.244.0.0/16", "--node-ip", "10.0.1.1", "--node-lease-duration-seconds", "40"), Map.of());
    }

    private static String bin(Path binDir, String name) {
        return binDir.resolve(name).toString();
    }
}
