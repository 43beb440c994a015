package io.homestack.bundle.test.internal;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a kubelet checks before it starts a pod's containers, and kwok does not: every Secret, ConfigMap (and key),
 * PersistentVolumeClaim and the ServiceAccount the pod spec references exists; references marked
 * {@code optional: true} may be missing. Each problem is worded like the kubelet's (reason and message), e.g.
 * {@code pod media/sonarr-7d9f: CreateContainerConfigError: secret "sonarr-api" not found (container sonarr, env
 * API_KEY)}.
 */
public final class PodReferences {

    private final KubernetesClient client;
    private final Map<String, Optional<Secret>> secrets = new HashMap<>();
    private final Map<String, Optional<ConfigMap>> configMaps = new HashMap<>();
    private final Map<String, Boolean> present = new HashMap<>();

    public PodReferences(KubernetesClient client) {
        this.client = client;
    }

    /** The problems of the pod, empty when a kubelet would start it. */
    public List<String> problems(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        String id = "pod " + ns + "/" + pod.getMetadata().getName() + ": ";
        PodSpec spec = pod.getSpec();
        Set<String> problems = new LinkedHashSet<>();
        String account = spec.getServiceAccountName() == null || spec.getServiceAccountName().isEmpty()
                ? "default" : spec.getServiceAccountName();
        if (!exists("ServiceAccount", ns, account, n -> client.serviceAccounts().inNamespace(ns).withName(n).get() != null)) {
            problems.add(id + "FailedCreate: serviceaccount \"" + account + "\" not found");
        }
        for (LocalObjectReference pull : orEmpty(spec.getImagePullSecrets())) {
            if (secret(ns, pull.getName()).isEmpty()) {
                problems.add(id + "FailedToRetrieveImagePullSecret: secret \"" + pull.getName() + "\" not found (imagePullSecrets)");
            }
        }
        for (Volume v : orEmpty(spec.getVolumes())) {
            volume(ns, v).forEach(p -> problems.add(id + "FailedMount: MountVolume.SetUp failed for volume \"" + v.getName()
                    + "\": " + p));
        }
        List<Container> containers = new ArrayList<>(orEmpty(spec.getInitContainers()));
        containers.addAll(orEmpty(spec.getContainers()));
        for (Container c : containers) {
            for (EnvFromSource from : orEmpty(c.getEnvFrom())) {
                if (from.getSecretRef() != null && !isTrue(from.getSecretRef().getOptional())
                        && secret(ns, from.getSecretRef().getName()).isEmpty()) {
                    problems.add(id + "CreateContainerConfigError: secret \"" + from.getSecretRef().getName()
                            + "\" not found (container " + c.getName() + ", envFrom)");
                }
                if (from.getConfigMapRef() != null && !isTrue(from.getConfigMapRef().getOptional())
                        && configMap(ns, from.getConfigMapRef().getName()).isEmpty()) {
                    problems.add(id + "CreateContainerConfigError: configmap \"" + from.getConfigMapRef().getName()
                            + "\" not found (container " + c.getName() + ", envFrom)");
                }
            }
            for (EnvVar env : orEmpty(c.getEnv())) {
                String where = " (container " + c.getName() + ", env " + env.getName() + ")";
                var from = env.getValueFrom();
                if (from != null && from.getSecretKeyRef() != null && !isTrue(from.getSecretKeyRef().getOptional())) {
                    String name = from.getSecretKeyRef().getName();
                    Optional<Secret> s = secret(ns, name);
                    if (s.isEmpty()) {
                        problems.add(id + "CreateContainerConfigError: secret \"" + name + "\" not found" + where);
                    } else if (!keys(s.get()).contains(from.getSecretKeyRef().getKey())) {
                        problems.add(id + "CreateContainerConfigError: couldn't find key " + from.getSecretKeyRef().getKey()
                                + " in Secret " + ns + "/" + name + where);
                    }
                }
                if (from != null && from.getConfigMapKeyRef() != null && !isTrue(from.getConfigMapKeyRef().getOptional())) {
                    String name = from.getConfigMapKeyRef().getName();
                    Optional<ConfigMap> m = configMap(ns, name);
                    if (m.isEmpty()) {
                        problems.add(id + "CreateContainerConfigError: configmap \"" + name + "\" not found" + where);
                    } else if (!keys(m.get()).contains(from.getConfigMapKeyRef().getKey())) {
                        problems.add(id + "CreateContainerConfigError: couldn't find key " + from.getConfigMapKeyRef().getKey()
                                + " in ConfigMap " + ns + "/" + name + where);
                    }
                }
            }
        }
        return List.copyOf(problems);
    }

    private List<String> volume(String ns, Volume v) {
        List<String> problems = new ArrayList<>();
        if (v.getSecret() != null && !isTrue(v.getSecret().getOptional())) {
            secretItems(ns, v.getSecret().getSecretName(), v.getSecret().getItems(), problems);
        }
        if (v.getConfigMap() != null && !isTrue(v.getConfigMap().getOptional())) {
            configMapItems(ns, v.getConfigMap().getName(), v.getConfigMap().getItems(), problems);
        }
        if (v.getPersistentVolumeClaim() != null) {
            String claim = v.getPersistentVolumeClaim().getClaimName();
            if (!exists("PersistentVolumeClaim", ns, claim,
                    n -> client.persistentVolumeClaims().inNamespace(ns).withName(n).get() != null)) {
                problems.add("persistentvolumeclaim \"" + claim + "\" not found");
            }
        }
        if (v.getProjected() != null) {
            for (VolumeProjection source : orEmpty(v.getProjected().getSources())) {
                if (source.getSecret() != null && !isTrue(source.getSecret().getOptional())) {
                    secretItems(ns, source.getSecret().getName(), source.getSecret().getItems(), problems);
                }
                if (source.getConfigMap() != null && !isTrue(source.getConfigMap().getOptional())) {
                    configMapItems(ns, source.getConfigMap().getName(), source.getConfigMap().getItems(), problems);
                }
            }
        }
        return problems;
    }

    private void secretItems(String ns, String name, List<KeyToPath> items, List<String> problems) {
        Optional<Secret> s = secret(ns, name);
        if (s.isEmpty()) {
            problems.add("secret \"" + name + "\" not found");
        } else {
            missingKeys(items, keys(s.get())).forEach(k -> problems.add("couldn't find key " + k + " in Secret " + ns + "/" + name));
        }
    }

    private void configMapItems(String ns, String name, List<KeyToPath> items, List<String> problems) {
        Optional<ConfigMap> m = configMap(ns, name);
        if (m.isEmpty()) {
            problems.add("configmap \"" + name + "\" not found");
        } else {
            missingKeys(items, keys(m.get())).forEach(k -> problems.add("couldn't find key " + k + " in ConfigMap " + ns + "/" + name));
        }
    }

    private static List<String> missingKeys(List<KeyToPath> items, Set<String> keys) {
        return orEmpty(items).stream().map(KeyToPath::getKey).filter(k -> !keys.contains(k)).toList();
    }

    private Optional<Secret> secret(String ns, String name) {
        return secrets.computeIfAbsent(ns + "/" + name,
                k -> Optional.ofNullable(client.secrets().inNamespace(ns).withName(name).get()));
    }

    private Optional<ConfigMap> configMap(String ns, String name) {
        return configMaps.computeIfAbsent(ns + "/" + name,
                k -> Optional.ofNullable(client.configMaps().inNamespace(ns).withName(name).get()));
    }

    private boolean exists(String kind, String ns, String name, Function<String, Boolean> lookup) {
        return present.computeIfAbsent(kind + " " + ns + "/" + name, k -> lookup.apply(name));
    }

    private static Set<String> keys(Secret s) {
        Set<String> keys = new LinkedHashSet<>();
        keys.addAll(s.getData() == null ? Set.of() : s.getData().keySet());
        keys.addAll(s.getStringData() == null ? Set.of() : s.getStringData().keySet());
        return keys;
    }

    private static Set<String> keys(ConfigMap m) {
        Set<String> keys = new LinkedHashSet<>();
        keys.addAll(m.getData() == null ? Set.of() : m.getData().keySet());
        keys.addAll(m.getBinaryData() == null ? Set.of() : m.getBinaryData().keySet());
        return keys;
    }

    private static boolean isTrue(Boolean b) {
        return Boolean.TRUE.equals(b);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
