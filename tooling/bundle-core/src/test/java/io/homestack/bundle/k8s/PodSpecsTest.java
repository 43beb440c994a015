package io.homestack.bundle.k8s;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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
}
