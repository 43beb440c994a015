package io.homestack.bundle.test.internal;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.render.BundleMetadata;
import io.homestack.bundle.test.BundleOutput;
import io.homestack.bundle.test.Capability;
import io.homestack.bundle.test.ClusterKind;
import io.homestack.bundle.test.TestCluster;
import io.homestack.bundle.test.Topology;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** What every kind of cluster shares: capabilities from the plan, apply, namespaces. */
public abstract class BaseCluster implements TestCluster, AutoCloseable {

    protected final ClusterPlan plan;
    private KubernetesClient applyClient;

    protected BaseCluster(ClusterPlan plan) {
        this.plan = plan;
    }

    @Override
    public ClusterKind kind() {
        return plan.kind();
    }

    @Override
    public Set<Capability> capabilities() {
        return plan.capabilities();
    }

    @Override
    public void require(Capability capability) {
        Optional<String> reason = plan.skipReason(capability);
        if (reason.isPresent()) {
            System.out.println("[homestack] SKIPPED on " + description() + ": " + reason.get());
            Assumptions.abort(reason.get());
        }
    }

    @Override
    public Optional<Topology> topology() {
        return Optional.empty();
    }

    @Override
    public Optional<Path> logDir() {
        return Optional.empty();
    }

    @Override
    public String version() {
        return client().getKubernetesVersion().getGitVersion();
    }

    @Override
    public List<HasMetadata> apply(BundleOutput output, String environment) {
        return apply(bundleName(output.root()) + " (" + environment + ")", output.objects(environment));
    }

    @Override
    public List<HasMetadata> apply(String bundle, List<KubeObject> objects) {
        // A busy API server (Transient) is asked again: server-side apply of the whole list is idempotent.
        return Transient.retry("applying " + bundle, java.time.Duration.ofSeconds(60),
                () -> new BundleApplier(applyClient()).apply(bundle, objects));
    }

    /**
     * The client for apply: without the client's retries, which would repeat a rejected server-side apply (the API
     * server answers HTTP 500 for a field not in the schema) for half a minute before reporting it.
     */
    private synchronized KubernetesClient applyClient() {
        if (applyClient == null) {
            applyClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client().getConfiguration())
                    .withRequestRetryBackoffLimit(0).build()).build();
        }
        return applyClient;
    }

    /** Closes what this class opened; subclasses call it from close(). */
    protected synchronized void closeClients() {
        if (applyClient != null) {
            applyClient.close();
            applyClient = null;
        }
    }

    @Override
    public String createNamespace(String prefix) {
        String name = (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-") + "-"
                + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36));
        client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels("homestack.io/test", "true").endMetadata().build()).create();
        if (has(Capability.CONTROLLERS)) {
            Await.until(Duration.ofSeconds(60), "the default service account of namespace " + name,
                    () -> client().serviceAccounts().inNamespace(name).withName("default").get() != null, () -> "");
        }
        return name;
    }

    /** The bundle's name from .homestack/bundle.json, else the module directory's name. */
    static String bundleName(Path outputRoot) {
        Path metadata = outputRoot.resolve(BundleMetadata.PATH);
        if (Files.isRegularFile(metadata)) {
            try {
                Object name = io.homestack.bundle.k8s.Yaml.mapper().readValue(metadata.toFile(), Map.class).get("name");
                if (name != null) {
                    return name.toString();
                }
            } catch (IOException e) {
                // fall back to the directory name
            }
        }
        Path abs = outputRoot.toAbsolutePath().normalize();
        Path module = abs.getParent() != null && abs.getParent().getFileName() != null
                && abs.getParent().getFileName().toString().equals("target") ? abs.getParent().getParent() : abs;
        return module == null || module.getFileName() == null ? abs.toString() : module.getFileName().toString();
    }

    @Override
    public abstract void close();

    @Override
    public String toString() {
        return description();
    }
}
