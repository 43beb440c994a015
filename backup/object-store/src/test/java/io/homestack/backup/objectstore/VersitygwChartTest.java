package io.homestack.backup.objectstore;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.model.ImageReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the other bundles and the provisioning Job rely on, on the chart's own render of the bundle's values for both
 * environments: the S3 interface (Service object-store, port 7070, region us-east-1, path-style), the root credentials
 * from object-store-root, one replica, data, object metadata and the internal IAM files on the persistent volume, the
 * pinned image.
 */
class VersitygwChartTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @CsvSource({"k3d, standard, ReadWriteOnce", "k3s, nas, ReadWriteMany"})
    void theGatewayServesTheS3InterfaceFromItsPersistentVolume(String env, String storageClass, String accessMode)
            throws Exception {
        List<KubeObject> objects = VersitygwChart.render(VersitygwChart.values(env), env, work);

        KubeObject service = VersitygwChart.find(objects, "Service", "object-store");
        Map<String, Object> port = KubeObject.map(KubeObject.list(KubeObject.path(service.body(), "spec").get("ports"))
                .get(0));
        assertThat(KubeObject.list(KubeObject.path(service.body(), "spec").get("ports"))).hasSize(1);
        assertThat(port).containsEntry("port", 7070).containsEntry("targetPort", "s3-api");

        KubeObject deployment = VersitygwChart.find(objects, "Deployment", "object-store");
        Map<String, Object> spec = KubeObject.path(deployment.body(), "spec");
        Map<String, Object> pod = KubeObject.path(spec, "template", "spec");
        assertThat(spec).containsEntry("replicas", 1);
        assertThat(KubeObject.path(spec, "strategy")).as("never two writers of the IAM file")
                .containsEntry("type", "Recreate");
        assertThat(KubeObject.path(spec, "template", "metadata", "labels"))
                .as("the pods carry what the Service selects")
                .containsAllEntriesOf(KubeObject.map(KubeObject.path(service.body(), "spec").get("selector")));

        Map<String, Object> gateway = PodSpecs.containers(pod).get(0);
        assertThat(PodSpecs.containers(pod)).hasSize(1);
        assertThat(KubeObject.list(gateway.get("ports"))).anySatisfy(p -> assertThat(KubeObject.map(p))
                .containsEntry("name", "s3-api").containsEntry("containerPort", 7070));
        Map<String, Object> vars = env(gateway);
        assertThat(vars).containsEntry("VGW_BACKEND", "posix").containsEntry("VGW_BACKEND_ARGS", "/mnt/data")
                .containsEntry("VGW_PORT", ":7070").containsEntry("VGW_REGION", "us-east-1")
                .containsEntry("VGW_META_SIDECAR", "/mnt/metadata").containsEntry("VGW_IAM_DIR", "/mnt/iam")
                .as("path-style only: no virtual-host domain, no separate admin port (admin API on 7070)")
                .doesNotContainKeys("VGW_VIRTUAL_DOMAIN", "VGW_ADMIN_PORT", "VGW_CERT");
        assertThat(vars.get("ROOT_ACCESS_KEY_ID")).isEqualTo("object-store-root/rootAccessKeyId");
        assertThat(vars.get("ROOT_SECRET_ACCESS_KEY")).isEqualTo("object-store-root/rootSecretAccessKey");
        assertThat(objects).extracting(KubeObject::kind).as("the root credentials are the SealedSecret's")
                .doesNotContain("Secret");

        String claim = "object-store-data";
        assertThat(KubeObject.list(pod.get("volumes"))).singleElement().satisfies(v -> assertThat(
                KubeObject.path(KubeObject.map(v), "persistentVolumeClaim")).containsEntry("claimName", claim));
        Map<String, String> mounts = KubeObject.list(gateway.get("volumeMounts")).stream().map(KubeObject::map)
                .collect(Collectors.toMap(m -> KubeObject.string(m.get("mountPath")),
                        m -> m.get("name") + "/" + m.get("subPath")));
        assertThat(mounts).as("data, object metadata and the IAM files: all on the one volume").containsExactlyInAnyOrderEntriesOf(
                Map.of("/mnt/data", "data/data", "/mnt/metadata", "data/metadata", "/mnt/iam", "data/iam"));
        Map<String, Object> pvc = KubeObject.path(VersitygwChart.find(objects, "PersistentVolumeClaim", claim).body(),
                "spec");
        assertThat(pvc).containsEntry("storageClassName", storageClass);
        assertThat(KubeObject.list(pvc.get("accessModes"))).containsExactly(accessMode);

        assertThat(PodSpecs.images(objects)).as("bundle.yaml lists what the chart runs")
                .containsExactlyElementsOf(VersitygwChart.CHART.images());
        assertThat(PodSpecs.images(objects)).allSatisfy(i -> assertThat(ImageReference.problem(i)).as(i).isNull());
        assertThat(KubeObject.path(gateway, "resources", "requests")).containsKeys("cpu", "memory");
        assertThat(KubeObject.path(gateway, "resources", "limits")).containsKey("memory");
    }

    /** Why k3s runs one replica on its shared volume (docs/decisions.md): the chart refuses two with internal IAM. */
    @Test
    void theChartRefusesTwoGatewaysSharingTheInternalIamFiles() {
        Map<String, Object> values = new HashMap<>(VersitygwChart.values("k3s"));
        values.put("replicaCount", 2);
        VersitygwChart.chartDirectory(); // without the chart: skipped, not a pass and not a wrong failure

        assertThatThrownBy(() -> VersitygwChart.render(values, "k3s", work))
                .hasMessageContaining("replicaCount > 1 cannot use iam.type=internal");
    }

    /** env name to its value, or "secret/key" for a secretKeyRef. */
    private static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> env = new HashMap<>();
        for (Object e : KubeObject.list(container.get("env"))) {
            Map<String, Object> var = KubeObject.map(e);
            Map<String, Object> ref = KubeObject.path(var, "valueFrom", "secretKeyRef");
            env.put(KubeObject.string(var.get("name")), ref.isEmpty() ? var.get("value")
                    : ref.get("name") + "/" + ref.get("key"));
        }
        return env;
    }
}
