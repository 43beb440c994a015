package io.homestack.clusters.k3d;

import io.fabric8.kubernetes.api.model.Quantity;
import io.homestack.bundle.k8s.KubeObject;

import java.math.BigDecimal;
import java.util.Map;

/**
 * CPU (millicores) and memory (bytes) requests, as the scheduler counts them for a pod: the sum of its containers and
 * of its sidecar init containers ({@code restartPolicy: Always}), or the largest other init container if that is
 * more (init containers run one at a time, before the others).
 */
record PodRequests(long cpuMillis, long memoryBytes) {

    static final PodRequests NONE = new PodRequests(0, 0);

    static PodRequests ofPod(Map<String, Object> podSpec) {
        PodRequests running = NONE;
        PodRequests init = NONE;
        for (Object c : KubeObject.list(podSpec.get("initContainers"))) {
            Map<String, Object> container = KubeObject.map(c);
            PodRequests own = ofContainer(container);
            if ("Always".equals(container.get("restartPolicy"))) {
                running = running.plus(own);
            } else {
                init = init.max(own);
            }
        }
        for (Object c : KubeObject.list(podSpec.get("containers"))) {
            running = running.plus(ofContainer(KubeObject.map(c)));
        }
        return running.max(init);
    }

    /** A container's (or a custom resource's) {@code resources.requests}; missing requests count as zero. */
    static PodRequests ofContainer(Map<String, Object> container) {
        return ofRequests(KubeObject.path(container, "resources", "requests"));
    }

    static PodRequests ofRequests(Map<String, Object> requests) {
        return new PodRequests(cpuMillis(requests.get("cpu")), bytes(requests.get("memory")));
    }

    static long cpuMillis(Object quantity) {
        return quantity == null ? 0 : Quantity.getAmountInBytes(new Quantity(quantity.toString()))
                .multiply(BigDecimal.valueOf(1000)).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    static long bytes(Object quantity) {
        return quantity == null ? 0 : Quantity.getAmountInBytes(new Quantity(quantity.toString()))
                .setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    PodRequests plus(PodRequests other) {
        return new PodRequests(cpuMillis + other.cpuMillis, memoryBytes + other.memoryBytes);
    }

    PodRequests times(long count) {
        return new PodRequests(cpuMillis * count, memoryBytes * count);
    }

    PodRequests max(PodRequests other) {
        return new PodRequests(Math.max(cpuMillis, other.cpuMillis), Math.max(memoryBytes, other.memoryBytes));
    }

    @Override
    public String toString() {
        return String.format("%d m CPU, %d MiB", cpuMillis, memoryBytes / (1024 * 1024));
    }
}
