package io.homestack.bundle.validate;

import io.homestack.bundle.k8s.KubeObject;

import java.util.List;
import java.util.Objects;

/**
 * A Service with a port named {@code http}, {@code http-*} or {@code https*} (Istio's protocol naming) is for people,
 * so a VirtualService of the same render must route to it through the TLS ingress gateway. Internal HTTP services
 * opt out with a reason.
 */
final class ExposedHttpService implements Rule {

    /** The TLS gateway of platform/ingress, as VirtualServices reference it. */
    public static final String INGRESS_GATEWAY = "istio-ingress/homestack-gateway";

    @Override
    public String id() {
        return "exposed-http-service";
    }

    @Override
    public List<String> check(KubeObject object, List<KubeObject> all) {
        if (!"Service".equals(object.kind()) || !hasHttpPort(object)) {
            return List.of();
        }
        boolean routed = all.stream()
                .filter(o -> "VirtualService".equals(o.kind()))
                .filter(vs -> KubeObject.list(KubeObject.path(vs.body(), "spec").get("gateways")).contains(INGRESS_GATEWAY))
                .filter(vs -> !KubeObject.list(KubeObject.path(vs.body(), "spec").get("hosts")).isEmpty())
                .anyMatch(vs -> routesTo(vs, object));
        if (routed) {
            return List.of();
        }
        return List.of("serves HTTP (port named http*) but no VirtualService on gateway '" + INGRESS_GATEWAY
                + "' routes to it; add one (the VirtualService component of platform/ingress) or opt out if it is"
                + " internal");
    }

    private static boolean hasHttpPort(KubeObject service) {
        return KubeObject.list(KubeObject.path(service.body(), "spec").get("ports")).stream()
                .map(p -> KubeObject.string(KubeObject.map(p).get("name")))
                .filter(Objects::nonNull)
                .anyMatch(n -> n.equals("http") || n.startsWith("http-") || n.startsWith("https"));
    }

    private static boolean routesTo(KubeObject vs, KubeObject service) {
        String ns = service.namespace() == null ? vs.namespace() : service.namespace();
        List<String> names = List.of(service.name(), service.name() + "." + ns,
                service.name() + "." + ns + ".svc", service.name() + "." + ns + ".svc.cluster.local");
        boolean sameNamespace = Objects.equals(vs.namespace(), ns);
        return KubeObject.list(KubeObject.path(vs.body(), "spec").get("http")).stream()
                .flatMap(route -> KubeObject.list(KubeObject.map(route).get("route")).stream())
                .map(dest -> KubeObject.string(KubeObject.path(KubeObject.map(dest), "destination").get("host")))
                .filter(Objects::nonNull)
                .anyMatch(host -> host.equals(service.name()) ? sameNamespace : names.contains(host));
    }
}
