package io.homestack.backup.velero;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.engine.Velero;
import io.homestack.bundle.test.internal.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3d bundle as built, applied to envtest with strict field validation against Velero's v1.18.3 CRDs (and the
 * prometheus-operator CRDs): the location and the Schedules are accepted and kept field for field, and the real
 * sealed-secrets controller opens velero-s3-credentials into the AWS credentials file of the object store's velero user.
 * Then the real Velero server (v1.18.3, with the AWS plugin, run as a local process against the envtest API server)
 * takes the location and the Schedules as they are.
 */
@HomestackCluster(topology = "k3d")
class VeleroK3dIT {

    /** The contract's k3d test credentials of the velero user (public test values; backup/object-store has the same). */
    private static final String ACCESS_KEY_ID = "velero";
    private static final String SECRET_ACCESS_KEY = "velero-k3d-test-secret";

    @Test
    void theOwnObjectsApplyAndTheCredentialsAreUnsealedIntoAnAwsCredentialsFile(TestCluster cluster) {
        BundleOutput output = BundleOutput.ofModule();
        cluster.apply(output, "k3d");

        List<KubeObject> velero = output.objects("k3d").stream().filter(o -> o.apiVersion().startsWith("velero.io/"))
                .toList();
        assertThat(velero).extracting(KubeObject::kind).contains("BackupStorageLocation", "Schedule");
        assertThatCluster(cluster).holdsRendered(velero)
                .hasObject("monitoring.coreos.com/v1", "ServiceMonitor", VeleroBundleTest.NAMESPACE, "velero")
                .hasObject("monitoring.coreos.com/v1", "PodMonitor", VeleroBundleTest.NAMESPACE, "node-agent")
                .hasSecretUnsealed(VeleroBundleTest.NAMESPACE, VeleroBundleTest.CREDENTIALS);

        Map<String, String> data = cluster.client().secrets().inNamespace(VeleroBundleTest.NAMESPACE)
                .withName(VeleroBundleTest.CREDENTIALS).get().getData();
        assertThat(data).containsOnlyKeys(VeleroBundleTest.CREDENTIALS_KEY);
        String file = new String(Base64.getDecoder().decode(data.get(VeleroBundleTest.CREDENTIALS_KEY)),
                StandardCharsets.UTF_8);
        assertThat(AwsCredentialsFile.parse(file)).containsOnlyKeys("default");
        assertThat(AwsCredentialsFile.parse(file).get("default"))
                .containsEntry("aws_access_key_id", ACCESS_KEY_ID)
                .containsEntry("aws_secret_access_key", SECRET_ACCESS_KEY);
    }

    /**
     * The real Velero server validates our Schedules (cron expression, template) and enables them, and
     * checks our location with the credentials it reads from the unsealed Secret. No object store runs here, so the
     * location is expected Unavailable, its reason showing the request Velero made (path-style, our bucket and
     * prefix); Available is the round trip's (it-tests), where an S3 server answers.
     */
    @Test
    void theRealVeleroServerEnablesTheSchedulesAndChecksTheLocation(TestCluster cluster, @TempDir Path run) {
        Velero velero = Velero.locate();
        BundleOutput output = BundleOutput.ofModule();
        cluster.apply(output, "k3d");
        assertThatCluster(cluster).hasSecretUnsealed(VeleroBundleTest.NAMESPACE, VeleroBundleTest.CREDENTIALS);

        try (Velero.Server server = velero.start(cluster.kubeconfig(), VeleroBundleTest.NAMESPACE, run, Map.of())) {
            for (KubeObject schedule : output.objects("k3d", "Schedule")) {
                Await.until(Duration.ofSeconds(60), "Velero to validate Schedule " + schedule.name(),
                        () -> phase(cluster, "Schedule", schedule.name()) != null, server::report);
                assertThat(phase(cluster, "Schedule", schedule.name())).as("Schedule %s: %s", schedule.name(),
                        status(cluster, "Schedule", schedule.name())).isEqualTo("Enabled");
            }
            Await.until(Duration.ofSeconds(90), "the location checked by Velero",
                    () -> phase(cluster, "BackupStorageLocation", "default") != null, server::report);
            Map<String, Object> status = status(cluster, "BackupStorageLocation", "default");
            System.out.println("[velero] BackupStorageLocation default: " + status);
            assertThat(status.get("phase")).as("no object store runs here").isEqualTo("Unavailable");
            assertThat(KubeObject.string(status.get("message")))
                    .as("Velero listed our bucket path-style (bucket in the path) under the environment's prefix")
                    .contains("http://object-store.object-store.svc:7070/velero?").contains("prefix=k3d%2F");
            assertThat(server.alive()).as(server.report()).isTrue();
        }
    }

    private static String phase(TestCluster cluster, String kind, String name) {
        return KubeObject.string(status(cluster, kind, name).get("phase"));
    }

    private static Map<String, Object> status(TestCluster cluster, String kind, String name) {
        var live = cluster.client().genericKubernetesResources("velero.io/v1", kind)
                .inNamespace(VeleroBundleTest.NAMESPACE).withName(name).get();
        return live == null ? Map.of() : KubeObject.map(live.getAdditionalProperties().get("status"));
    }
}
