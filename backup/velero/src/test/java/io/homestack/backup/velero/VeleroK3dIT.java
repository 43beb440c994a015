package io.homestack.backup.velero;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.HomestackCluster;
import io.homestack.bundle.test.TestCluster;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.homestack.bundle.test.ClusterAssertions.assertThatCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k3d bundle as built, applied to envtest with strict field validation against Velero's v1.18.3 CRDs (and the
 * prometheus-operator CRDs): the location and the Schedules are accepted and kept field for field, and the real
 * sealed-secrets controller opens velero-s3-credentials into the AWS credentials file of the object store's velero user.
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
}
