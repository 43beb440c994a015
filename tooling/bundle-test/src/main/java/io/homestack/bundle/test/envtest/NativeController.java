package io.homestack.bundle.test.envtest;

import java.time.Duration;
import java.util.List;

/**
 * A controller that envtest runs natively beside its control plane (a local process, or a watch in this JVM) so
 * that objects behave as on a real cluster: the static volume provisioner, the sealed-secrets controller, later
 * Argo CD and Velero. Each is one small class; adding one is a new class and a line in {@link #all()}.
 * Started after the nodes are created, stopped (in reverse order) before the control plane.
 */
interface NativeController extends AutoCloseable {

    /**
     * Every controller of a full envtest cluster, in start order; Argo CD only when asked for (it is heavy), and with
     * it Velero, whose bundle a release sync cannot make Healthy without a server.
     */
    static List<NativeController> all(boolean argocd) {
        return argocd ? List.of(new StaticVolumeProvisioner(), new SealedSecretsController(), new VeleroController(),
                        new ArgoCd())
                : List.of(new StaticVolumeProvisioner(), new SealedSecretsController());
    }

    /** For messages and timings: "sealed-secrets-controller". */
    String name();

    /** The files it needs in the binaries directory (build.sh builds them); empty for in-JVM controllers. */
    default List<String> binaries() {
        return List.of();
    }

    /** Starts it without waiting for it (so that controllers start side by side). */
    void start(ControllerContext context);

    /** Waits until it works; fails with what it saw (its log's tail) when it does not within the timeout. */
    default void awaitReady(Duration timeout) {
    }

    @Override
    void close();
}
