package io.homestack.bundle.k8s;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PodSpecsTest {

    private static final Map<String, Object> CONTAINER = Map.of("name", "app", "volumeMounts", List.of(
            Map.of("name", "data", "mountPath", "/data"), Map.of("name", "gone", "mountPath", "/gone")));
    private static final Map<String, Object> POD = Map.of("containers", List.of(CONTAINER), "volumes", List.of(
            Map.of("name", "tmp", "emptyDir", Map.of()),
            Map.of("name", "data", "persistentVolumeClaim", Map.of("claimName", "app-data"))));

    @Test
    void theVolumeMountedAtAPathIsFoundByTheMountsName() {
        assertThat(PodSpecs.volumeMountedAt(POD, CONTAINER, "/data"))
                .containsEntry("persistentVolumeClaim", Map.of("claimName", "app-data"));
    }

    @Test
    void noMountAtThePathOrNoVolumeOfTheMountsNameIsNull() {
        assertThat(PodSpecs.volumeMountedAt(POD, CONTAINER, "/tmp")).isNull();
        assertThat(PodSpecs.volumeMountedAt(POD, CONTAINER, "/gone")).isNull();
    }

    @Test
    void secretKeysReferencedFindsEnvKeysEnvFromAndVolumesOfEveryContainer() {
        KubeObject deployment = new KubeObject(Yaml.readMap("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  template:
                    spec:
                      initContainers:
                        - name: init
                          env: [{name: PIN, valueFrom: {secretKeyRef: {name: bridge, key: pin}}}]
                      containers:
                        - name: app
                          env:
                            - {name: A, value: plain}
                            - {name: U, valueFrom: {secretKeyRef: {name: mqtt, key: username}}}
                            - {name: P, valueFrom: {secretKeyRef: {name: mqtt, key: password}}}
                          envFrom: [{secretRef: {name: all}}, {configMapRef: {name: cm}}]
                      volumes: [{name: v, secret: {secretName: files}}, {name: c, configMap: {name: cm}}]
                """, "deployment.yaml"), "deployment.yaml");
        KubeObject service = new KubeObject(Yaml.readMap("{apiVersion: v1, kind: Service, metadata: {name: s}}", "s"), "s");

        assertThat(PodSpecs.secretKeysReferenced(List.of(deployment, service))).isEqualTo(Map.of(
                "bridge", Set.of("pin"), "mqtt", Set.of("password", "username"), "all", Set.of(), "files", Set.of()));
    }
}
