package io.homestack.bundle.test.envtest;

import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.binary.BinaryManager;
import io.homestack.testsupport.TestTools;
import io.homestack.bundle.test.internal.ClusterPlan;
import io.homestack.bundle.test.internal.Settings;
import io.homestack.bundle.test.internal.TestBinaries;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which binaries an envtest cluster needs, and where they are: one message naming everything missing. */
final class EnvtestBinaries {

    static final List<String> API_BINARIES = List.of("etcd", "kube-apiserver");

    private EnvtestBinaries() {
    }

    /** The control plane's, the node components' and every native controller's binaries. */
    static List<String> all(boolean argocd) {
        List<String> all = new ArrayList<>(API_BINARIES);
        all.addAll(NodeComponents.BINARIES);
        NativeController.all(argocd).forEach(c -> all.addAll(c.binaries()));
        return all;
    }

    /** The binaries directory; one message naming everything missing and how to get it. */
    static Path locate(ClusterPlan plan, TestBinaries binaries) {
        List<String> needed = plan.apiOnly() ? API_BINARIES : all(plan.argocd());
        List<String> missing = binaries.missing(needed);
        if (missing.isEmpty()) {
            return binaries.binDir();
        }
        if (plan.apiOnly() && Settings.ENVTEST_DOWNLOAD.isTrue(false)) {
            // kube-api-test's own layout and download (kube-apiserver, etcd, kubectl of the same version), online only
            var config = KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withTestDir(binaries.dir().toString())
                    .withApiServerVersion(binaries.kubernetesVersion().replaceFirst("^v", ""))
                    .withOfflineMode(false).build();
            BinaryManager manager = new BinaryManager(config);
            manager.initAndDownloadIfRequired();
            return manager.binaries().getApiServer().toPath().getParent();
        }
        String alternatives = plan.apiOnly()
                ? " Or add -D" + Settings.ENVTEST_DOWNLOAD.property() + "=true to let fabric8 kube-api-test download"
                + " kube-apiserver and etcd (online)."
                : " Or run API-only tests with -D" + Settings.ENVTEST_COMPONENTS.property() + "=api (kube-apiserver and etcd;"
                + " add -D" + Settings.ENVTEST_DOWNLOAD.property() + "=true to let fabric8 kube-api-test download them"
                + " when online): tests that need scheduling or controllers are then skipped.";
        String message = "envtest binaries missing in " + binaries.binDir() + ": " + String.join(", ", missing)
                + ". " + binaries.buildHint("") + "." + alternatives + " Or choose another cluster with "
                + Settings.CLUSTER.describe() + "=k3s|kubeconfig.";
        // A fresh clone's `mvn install` before `make deps`: skipped with the reason; CI fails instead.
        throw TestTools.missing(message);
    }
}
