package io.homestack.bundle.test.internal;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.render.ArgoCd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side apply with strict field validation, the way Argo CD would apply a bundle: Namespaces and CRDs first
 * (CRDs waited for until Established), then the rest; every failure names the bundle, the file and the object.
 */
public final class BundleApplier {

    public static final String FIELD_MANAGER = "homestack-test";

    private final KubernetesClient client;
    private final Map<String, Optional<APIResourceList>> discovery = new HashMap<>();

    public BundleApplier(KubernetesClient client) {
        this.client = client;
    }

    /** Applies the objects; fails listing every object that has no API (missing CRD) or that the server rejects. */
    public List<HasMetadata> apply(String bundle, List<KubeObject> objects) {
        ensureArgoCdNamespace(objects);
        List<KubeObject> ordered = objects.stream().sorted(Comparator.comparingInt(BundleApplier::rank)).toList();
        List<HasMetadata> applied = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> crds = new ArrayList<>();
        int i = 0;
        for (; i < ordered.size() && rank(ordered.get(i)) < 2; i++) {
            KubeObject o = ordered.get(i);
            apply(bundle, o, failures).ifPresent(r -> {
                applied.add(r);
                if (isCrd(o)) {
                    crds.add(o.name());
                }
            });
        }
        if (!crds.isEmpty()) {
            Crds.awaitEstablished(client, crds, Duration.ofSeconds(30));
            discovery.clear();
        }
        List<KubeObject> rest = ordered.subList(i, ordered.size());
        List<String> missing = rest.stream()
                .filter(o -> resource(o, !crds.isEmpty()).isEmpty())
                .map(o -> "no CRD for " + o.kind() + " (" + o.apiVersion() + ") in bundle " + bundle + ": " + o.describe()
                        + " (" + o.source() + ")")
                .distinct().toList();
        if (!missing.isEmpty()) {
            throw new AssertionError(String.join("\n", missing) + "\n(the kit installs the CRDs of "
                    + "cert-manager, prometheus-operator, Argo CD, sealed-secrets, Velero and Istio; any other CRD must"
                    + " be in the bundle or a bundle it depends on)");
        }
        for (KubeObject o : rest) {
            apply(bundle, o, failures).ifPresent(applied::add);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("bundle " + bundle + ": the API server rejected " + failures.size() + " object(s):\n  "
                    + String.join("\n  ", failures));
        }
        return applied;
    }

    /**
     * Every bundle's chart Applications live in Argo CD's namespace. On a real cluster the bootstrap installs Argo CD
     * before any bundle, so the kit creates that one namespace when a bundle needs it; any other missing namespace
     * stays an error.
     */
    private void ensureArgoCdNamespace(List<KubeObject> objects) {
        // Created only when missing: an update would replace the labels of the namespace Argo CD manages (the
        // argocd bundle's), which its self-heal would then restore with a sync of its own.
        if (objects.stream().anyMatch(o -> ArgoCd.NAMESPACE.equals(o.namespace()))
                && client.namespaces().withName(ArgoCd.NAMESPACE).get() == null) {
            try {
                client.resource(new NamespaceBuilder().withNewMetadata().withName(ArgoCd.NAMESPACE).endMetadata().build())
                        .create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    private Optional<HasMetadata> apply(String bundle, KubeObject o, List<String> failures) {
        Optional<APIResource> resource = resource(o, false);
        if (resource.isEmpty()) {
            failures.add(o.describe() + " (" + o.source() + "): no CRD for " + o.kind() + " (" + o.apiVersion()
                    + ") in bundle " + bundle);
            return Optional.empty();
        }
        try {
            return Optional.of(applyOne(client, context(o, resource.get()), resource.get().getNamespaced(), o.body()));
        } catch (KubernetesClientException e) {
            if (Transient.is(e)) {
                throw e; // busy, not "no": a caller's Transient.retry applies again (apply is idempotent)
            }
            failures.add(o.describe() + " (" + o.source() + "): " + serverMessage(e));
            return Optional.empty();
        }
    }

    /** One server-side apply (strict field validation, conflicts forced: the test owns the cluster). */
    static GenericKubernetesResource applyOne(KubernetesClient client, ResourceDefinitionContext context, boolean namespaced,
                                              Map<String, Object> body) {
        GenericKubernetesResource item = client.getKubernetesSerialization().convertValue(body, GenericKubernetesResource.class);
        var op = client.genericKubernetesResources(context);
        var resource = namespaced
                ? op.inNamespace(Optional.ofNullable(item.getMetadata().getNamespace()).orElse("default")).resource(item)
                : op.resource(item);
        return resource.fieldValidation(FieldValidateable.Validation.STRICT)
                .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /** The API server's own words (its Status message), without the client's request preamble. */
    static String serverMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage() + " (HTTP " + e.getCode() + ")";
        }
        return e.getMessage();
    }

    private static ResourceDefinitionContext context(KubeObject o, APIResource r) {
        return new ResourceDefinitionContext.Builder().withGroup(o.group()).withVersion(version(o.apiVersion()))
                .withKind(o.kind()).withPlural(r.getName()).withNamespaced(r.getNamespaced()).build();
    }

    private Optional<APIResource> resource(KubeObject o, boolean retry) {
        if (o.apiVersion() == null || o.kind() == null) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + (retry ? Duration.ofSeconds(10).toNanos() : 0);
        while (true) {
            Optional<APIResource> found = discovery.computeIfAbsent(o.apiVersion(), this::discover).stream()
                    .flatMap(l -> l.getResources().stream())
                    .filter(r -> o.kind().equals(r.getKind()) && !r.getName().contains("/"))
                    .findFirst();
            if (found.isPresent() || System.nanoTime() > deadline) {
                return found;
            }
            discovery.remove(o.apiVersion());
            Await.sleep(200);
        }
    }

    private Optional<APIResourceList> discover(String groupVersion) {
        try {
            return Optional.ofNullable(client.getApiResources(groupVersion));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Namespaces, then CRDs, then everything else (stable within each). */
    static int rank(KubeObject o) {
        if ("Namespace".equals(o.kind()) && "v1".equals(o.apiVersion())) {
            return 0;
        }
        return isCrd(o) ? 1 : 2;
    }

    static boolean isCrd(KubeObject o) {
        return "CustomResourceDefinition".equals(o.kind()) && "apiextensions.k8s.io".equals(o.group());
    }

    private static String version(String apiVersion) {
        return apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
    }
}
