package io.homestack.it;

import io.fabric8.kubernetes.api.model.Secret;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.net.FreePorts;
import io.homestack.bundle.seal.SealYaml;
import io.homestack.bundle.seal.SealingCertificate;
import io.homestack.bundle.seal.SealingScope;
import io.homestack.bundle.seal.SecretSealer;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.RequiresCapability;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.internal.TestBinaries;
import io.homestack.testsupport.TestTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production keypair procedure of scripts/sealing-key.sh with the real sealed-secrets controller (the binary the
 * kit runs, SEALED_SECRETS_VERSION) and kubectl against envtest's API server: a controller generates its key, the
 * script fetches the certificate and backs the key up, a Secret is sealed offline with that certificate, the keys are
 * lost ("the rebuilt cluster"), the script restores the backup, a new controller starts and unseals the Secret sealed
 * before, with the same certificate. The controllers run in a namespace of their own (SEALED_SECRETS_NAMESPACE, only
 * that namespace scanned), beside the kit's own controller, which holds only the k3d test key and so cannot unseal it.
 * Not covered here: kube-system on a real k3s, the controller as the chart's pod (docs/deploy-k3s.md marks it).
 */
@HomestackCluster(topology = "k3s")
@RequiresCapability(Capability.API)
class SealingKeyProcedureIT {

    static final String KEY_LABEL = "sealedsecrets.bitnami.com/sealed-secrets-key";

    TestCluster cluster;

    @TempDir
    Path work;

    @Test
    void backupThenRestoreOnARebuiltClusterUnsealsWhatWasSealedBefore() throws Exception {
        String ns = cluster.createNamespace("sealing-key");
        Path crt = work.resolve("sealed-secrets-k3s.crt");
        Path backup = work.resolve("key-backup.yaml");

        Process first = controller(ns, "first");
        try {
            awaitKeys(ns, 1);
        } finally {
            stop(first);
        }
        script(ns, "fetch-cert", crt.toString());
        script(ns, "backup", backup.toString());
        String key = keys(ns).get(0).getData().get("tls.key");
        assertThat(Files.readString(crt)).isEqualTo(decode(keys(ns).get(0).getData().get("tls.crt")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
        assertThat(Files.readString(backup)).contains(key)
                .as("no field the API server sets on the keys").doesNotContainPattern("(?m)^    (resourceVersion|uid|creationTimestamp): ");

        Map<String, Object> sealed = new SecretSealer(SealingCertificate.load(crt)).seal(SealYaml.read("""
                apiVersion: v1
                kind: Secret
                metadata: {name: db, namespace: %s}
                stringData: {password: s3cr3t}
                """.formatted(ns), "secret.yaml"), "secret.yaml", SealingScope.STRICT);

        // the rebuilt cluster: the keys are gone
        cluster.client().secrets().inNamespace(ns).withLabel(KEY_LABEL).delete();
        awaitKeys(ns, 0);
        script(ns, "restore", backup.toString());
        script(ns, "restore", backup.toString());   // idempotent
        assertThat(keys(ns)).hasSize(1).allSatisfy(s -> assertThat(s.getData().get("tls.key")).isEqualTo(key));

        Process second = controller(ns, "second");
        try {
            cluster.apply("sealed-secrets", List.of(new KubeObject(sealed, "sealedsecret.yaml")));
            Secret unsealed = awaitSecret(ns, "db");
            assertThat(decode(unsealed.getData().get("password"))).isEqualTo("s3cr3t");
            assertThat(keys(ns)).as("the controller adopted the restored key, made none").hasSize(1);
            Path again = work.resolve("again.crt");
            script(ns, "fetch-cert", again.toString());
            assertThat(Files.readString(again)).isEqualTo(Files.readString(crt));
        } finally {
            stop(second);
        }
    }

    private List<Secret> keys(String ns) {
        return cluster.client().secrets().inNamespace(ns).withLabel(KEY_LABEL).list().getItems();
    }

    private void awaitKeys(String ns, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (keys(ns).size() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " sealing key(s) in " + ns + ", found " + keys(ns).size());
            }
            Thread.sleep(200);
        }
    }

    private Secret awaitSecret(String ns, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Secret s = cluster.client().secrets().inNamespace(ns).withName(name).get();
            if (s != null) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the restored key did not unseal " + ns + "/" + name + " within 60 s");
            }
            Thread.sleep(200);
        }
    }

    private void script(String ns, String... args) throws IOException, InterruptedException {
        Path repo = TestBinaries.repoRoot();
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(repo.resolve("scripts/sealing-key.sh").toString()),
                Stream.of(args)).toList()).redirectErrorStream(true).directory(repo.toFile());
        pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
        pb.environment().put("SEALED_SECRETS_NAMESPACE", ns);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.print("[sealing-key " + String.join(" ", args) + "] " + out);
        assertThat(p.waitFor()).as("scripts/sealing-key.sh %s: %s", String.join(" ", args), out).isZero();
    }

    /** The real controller, keys and SealedSecrets in {@code ns} only, without key renewal. */
    private Process controller(String ns, String name) throws IOException {
        Path bin;
        try (Stream<Path> found = Files.find(TestBinaries.locate().dir().resolve("k8s"), 2,
                (p, a) -> p.getFileName().toString().equals("sealed-secrets-controller"))) {
            bin = found.findFirst().orElseThrow(() -> TestTools.missing("no sealed-secrets-controller in "
                    + TestBinaries.locate().dir() + ": run tooling/k8s-test-binaries/build.sh"));
        }
        ProcessBuilder pb = new ProcessBuilder(bin.toString(), "--all-namespaces=false", "--key-renew-period", "0",
                "--listen-addr", "127.0.0.1:" + FreePorts.next(), "--listen-metrics-addr", "127.0.0.1:" + FreePorts.next())
                .redirectErrorStream(true).redirectOutput(work.resolve("controller-" + name + ".log").toFile());
        pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
        pb.environment().put("POD_NAMESPACE", ns);
        return pb.start();
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }


    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
