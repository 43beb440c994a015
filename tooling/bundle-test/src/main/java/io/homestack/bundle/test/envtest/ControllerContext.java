package io.homestack.bundle.test.envtest;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a {@link NativeController} gets to start with: the cluster's admin client and kubeconfig file, the binaries
 * directory, the repository root (for test keys and renders), the run's directory (for scratch files) and the
 * cluster's processes, so that its process is logged and stopped with the others.
 */
record ControllerContext(KubernetesClient client, Path kubeconfig, Path binDir, Path repo, Path runDir,
                         ProcessGroup processes) {

    String bin(String name) {
        return binDir.resolve(name).toString();
    }

    ManagedProcess launch(String name, List<String> command, Map<String, String> env) {
        return processes.launch(name, command, env);
    }

    /** A one-shot command run to its end (at most the timeout), logged with the cluster's processes. */
    ManagedProcess runToEnd(String name, List<String> command, Map<String, String> env, long timeoutMillis) {
        return processes.runToEnd(name, command, env, timeoutMillis);
    }
}
