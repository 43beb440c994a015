package io.homestack.bundle.test;

import io.homestack.bundle.k8s.KubeObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The volumes of a pod that Velero's file-system backup copies when the backup sets {@code defaultVolumesToFsBackup}
 * (opt-out, as backup/velero's Schedules do): Velero v1.18.3's {@code GetVolumesByPod} (pkg/util/podvolume), restated
 * so that a bundle's test can check its pods' opt-outs without a node agent. Every volume counts except hostPath,
 * secret, configMap, projected and downwardAPI volumes, the default service-account token, and the names the pod lists
 * in {@value #EXCLUDES}, which Velero splits on commas and does not trim ({@code "a, b"} excludes {@code a} and
 * {@code " b"}). emptyDirs count. At run time Velero also skips a claim whose PersistentVolume is a hostPath volume
 * (local-path's default, backup/velero README "PVC data"): that depends on the provisioner, not the pod, so it is
 * not decided here.
 */
public final class VeleroPodVolumes {

    /** The pod annotation listing the volumes a pod keeps out of file-system backups. */
    public static final String EXCLUDES = "backup.velero.io/backup-volumes-excludes";

    private static final List<String> NOT_BACKED_UP = List.of("hostPath", "secret", "configMap", "projected",
            "downwardAPI");

    private VeleroPodVolumes() {
    }

    /** The names of the volumes Velero copies, for a pod template ({@code metadata} and {@code spec}). */
    public static Set<String> backedUp(Map<String, Object> podTemplate) {
        Set<String> excluded = excluded(podTemplate);
        Set<String> names = new TreeSet<>();
        for (Object v : KubeObject.list(KubeObject.path(podTemplate, "spec").get("volumes"))) {
            Map<String, Object> volume = KubeObject.map(v);
            String name = KubeObject.string(volume.get("name"));
            if (NOT_BACKED_UP.stream().noneMatch(volume::containsKey) && !excluded.contains(name)
                    && !name.startsWith("default-token")) {
                names.add(name);
            }
        }
        return names;
    }

    /** The names listed in the template's {@value #EXCLUDES} annotation, exactly as Velero splits them. */
    public static Set<String> excluded(Map<String, Object> podTemplate) {
        Object annotation = KubeObject.path(podTemplate, "metadata", "annotations").get(EXCLUDES);
        return annotation == null ? Set.of() : new TreeSet<>(List.of(annotation.toString().split(",", -1)));
    }
}
