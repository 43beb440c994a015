package io.homestack.bundle.test;

import io.homestack.bundle.k8s.Yaml;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VeleroPodVolumesTest {

    private static final String VOLUMES = """
              volumes:
                - name: config
                  persistentVolumeClaim: {claimName: app-config}
                - name: downloads
                  persistentVolumeClaim: {claimName: downloads}
                - name: run
                  emptyDir: {medium: Memory}
                - name: settings
                  configMap: {name: app-settings}
                - name: credentials
                  secret: {secretName: app-credentials}
                - name: token
                  projected: {sources: []}
                - name: labels
                  downwardAPI: {items: []}
                - name: host
                  hostPath: {path: /srv}
                - name: default-token-abcde
                  emptyDir: {}
            """;

    @Test
    void withoutOptOutsEveryClaimAndEmptyDirIsCopiedAndWhatComesFromTheApiOrTheHostIsNot() {
        Map<String, Object> template = template(null);

        assertThat(VeleroPodVolumes.backedUp(template)).containsExactly("config", "downloads", "run");
        assertThat(VeleroPodVolumes.excluded(template)).isEmpty();
    }

    @Test
    void theAnnotationExcludesTheVolumesItNames() {
        Map<String, Object> template = template("downloads,run");

        assertThat(VeleroPodVolumes.backedUp(template)).containsExactly("config");
        assertThat(VeleroPodVolumes.excluded(template)).containsExactlyInAnyOrder("downloads", "run");
    }

    /** Velero splits on commas and does not trim: a space makes the name another one, and the volume is copied. */
    @Test
    void aSpaceAfterACommaIsPartOfTheNameAsVeleroReadsIt() {
        Map<String, Object> template = template("downloads, run");

        assertThat(VeleroPodVolumes.backedUp(template)).containsExactly("config", "run");
        assertThat(VeleroPodVolumes.excluded(template)).contains(" run");
    }

    private static Map<String, Object> template(String excludes) {
        String metadata = excludes == null ? "metadata: {}\n"
                : "metadata:\n  annotations:\n    " + VeleroPodVolumes.EXCLUDES + ": \"" + excludes + "\"\n";
        return Yaml.readMap(metadata + "spec:\n" + VOLUMES, "pod template");
    }
}
