package io.homestack.bundle.test.internal;

import io.homestack.testsupport.TestBinariesDir;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The kit's settings: a system property (Maven passes {@code -D...} through to the test JVM) or else an environment
 * variable. Every setting is listed here and in the module README.
 */
public final class Settings {

    /** envtest|k3s|kubeconfig; default k3s where a Docker engine runs, else envtest. */
    public static final Setting CLUSTER = new Setting("homestack.cluster", "HOMESTACK_CLUSTER");
    /** Topology when the annotation names none: k3d (default), k3s, or the path of an inventory file. */
    public static final Setting TOPOLOGY = new Setting("homestack.topology", "HOMESTACK_TOPOLOGY");
    /** Repository root (versions.env, clusters/k3s/inventory.yaml); default: found upwards from the working dir. */
    public static final Setting REPO_ROOT = new Setting("homestack.repo.root", "HOMESTACK_REPO_ROOT");
    /** Where build.sh put binaries and CRDs; default $KUBE_API_TEST_DIR, else ~/.kubeapitest. */
    public static final Setting BIN_DIR = new Setting("homestack.k8s.bin.dir", TestBinariesDir.ENV);
    /** envtest processes: all (apiserver, etcd, controller-manager, scheduler, kwok) or api (apiserver + etcd). */
    public static final Setting ENVTEST_COMPONENTS = new Setting("homestack.envtest.components", "HOMESTACK_ENVTEST_COMPONENTS");
    /** true: with components=api, let kube-api-test download missing kube-apiserver/etcd/kubectl (online). */
    public static final Setting ENVTEST_DOWNLOAD = new Setting("homestack.envtest.download", "HOMESTACK_ENVTEST_DOWNLOAD");
    /** Seconds one envtest start step may take at most (default 180; waits end as soon as things are ready). */
    public static final Setting ENVTEST_START_TIMEOUT = new Setting("homestack.envtest.startTimeout", "HOMESTACK_ENVTEST_START_TIMEOUT");
    /** Directory for process logs, certificates and etcd data; default target/homestack-envtest. */
    public static final Setting WORK_DIR = new Setting("homestack.cluster.dir", "HOMESTACK_CLUSTER_DIR");
    /** Install the upstream CRDs from the CRD cache: default true on envtest and k3s, false on kubeconfig. */
    public static final Setting INSTALL_CRDS = new Setting("homestack.crds", "HOMESTACK_CRDS");
    /** Default timeout of the cluster assertions, in seconds (default 60). */
    public static final Setting AWAIT_TIMEOUT = new Setting("homestack.await.timeout", "HOMESTACK_AWAIT_TIMEOUT");
    /** kubeconfig kind: the context to use (default: the current context). */
    public static final Setting KUBECONFIG_CONTEXT = new Setting("homestack.kubeconfig.context", "HOMESTACK_KUBECONFIG_CONTEXT");
    /** k3s kind: the k3s image (default rancher/k3s:&lt;K8S_VERSION&gt;-k3s1). */
    public static final Setting K3S_IMAGE = new Setting("homestack.k3s.image", "HOMESTACK_K3S_IMAGE");

    private static volatile Function<String, String> properties = System::getProperty;
    private static volatile Function<String, String> environment = System::getenv;

    private Settings() {
    }

    /** A setting: system property first, then environment variable. */
    public record Setting(String property, String env) {

        public Optional<String> value() {
            String v = properties.apply(property);
            if (v == null || v.isBlank()) {
                v = env == null ? null : environment.apply(env);
            }
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        public String value(String fallback) {
            return value().orElse(fallback);
        }

        public boolean isTrue(boolean fallback) {
            return value().map(Boolean::parseBoolean).orElse(fallback);
        }

        public Duration seconds(long fallback) {
            return Duration.ofSeconds(value().map(Long::parseLong).orElse(fallback));
        }

        /** "-Dhomestack.cluster (HOMESTACK_CLUSTER)", for messages. */
        public String describe() {
            return "-D" + property + (env == null ? "" : " (" + env + ")");
        }
    }

    /** For the kit's unit tests: replace system properties and environment. */
    static void override(Map<String, String> props, Map<String, String> env) {
        properties = props::get;
        environment = env::get;
    }

    static void reset() {
        properties = System::getProperty;
        environment = System::getenv;
    }

    /** An environment variable (for kube-api-test's own variables). */
    static String env(String name) {
        return environment.apply(name);
    }
}
