package io.homestack.bundle.test.envtest;

import io.fabric8.kubernetes.api.model.Service;
import io.homestack.bundle.test.engine.ServiceProxy;
import io.homestack.bundle.test.engine.Velero;

import java.util.List;
import java.util.Map;

/**
 * The Velero server (build.sh velero: v1.18.3 with velero-plugin-for-aws), for clusters that sync a release with Argo CD:
 * backup/velero's chart cannot be rendered here, so without a server its Schedules never become Enabled and Argo CD
 * never calls the bundle Healthy. It runs in namespace {@value #NAMESPACE} with the plugin from a plugin directory, as
 * the chart's Deployment does, and reaches Services through a {@link ServiceProxy}: a request for
 * {@code <name>.<namespace>.svc:<port>} goes to the local port that the Service's annotation
 * {@value #LOCAL_PORT} names (a test that starts an engine for the Service sets it); any other is answered 502. Its
 * locations are validated every 5 s instead of every minute, so that a test sees an object store it starts soon.
 * Velero refuses to start before its namespace exists, and the chart's Deployment does not exist before the bundle's
 * namespace does either: the server starts when namespace {@value #NAMESPACE} appears (the velero bundle's sync).
 */
final class VeleroController implements NativeController {

    static final String NAMESPACE = "velero";
    static final String LOCAL_PORT = ServiceProxy.LOCAL_PORT;

    private ServiceProxy proxy;
    private volatile Velero.Server server;
    private volatile boolean closed;
    private Thread waiting;

    @Override
    public String name() {
        return "velero";
    }

    @Override
    public List<String> binaries() {
        return List.of("velero", "velero-plugin-for-aws");
    }

    @Override
    public void start(ControllerContext context) {
        proxy = new ServiceProxy(target -> localPort(context, target),
                "no local engine serves it: a test annotates the Service with " + LOCAL_PORT);
        waiting = new Thread(() -> startWhenTheNamespaceExists(context), "velero-waits-for-its-namespace");
        waiting.setDaemon(true);
        waiting.start();
    }

    private void startWhenTheNamespaceExists(ControllerContext context) {
        try {
            while (!closed && context.client().namespaces().withName(NAMESPACE).get() == null) {
                Thread.sleep(500);
            }
            if (!closed) {
                server = new Velero(context.binDir().resolve("velero"), context.binDir().resolve("velero-plugin-for-aws"))
                        .start(context.kubeconfig(), NAMESPACE, context.runDir().resolve("velero"),
                                Map.of("HTTP_PROXY", proxy.url(), "http_proxy", proxy.url()),
                                List.of("--store-validation-frequency", "5s"));
                System.out.println("[homestack] velero: the server runs in namespace " + NAMESPACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) {
                System.err.println("[homestack] velero: the server did not start: " + e.getMessage());
            }
        }
    }

    /** "object-store.object-store.svc:7070" (or ...svc.cluster.local) to the annotated local port, else null. */
    private static Integer localPort(ControllerContext context, String target) {
        String[] hostPort = target.split(":");
        String[] labels = hostPort[0].split("\\.");
        if (labels.length < 3 || !"svc".equals(labels[2])) {
            return null;
        }
        Service service = context.client().services().inNamespace(labels[1]).withName(labels[0]).get();
        String port = service == null || service.getMetadata().getAnnotations() == null ? null
                : service.getMetadata().getAnnotations().get(LOCAL_PORT);
        return port == null ? null : Integer.valueOf(port);
    }

    @Override
    public void close() {
        closed = true;
        if (waiting != null) {
            waiting.interrupt();
            try {
                waiting.join(95_000); // a start in progress finishes (or times out) before the server is stopped
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }
}
