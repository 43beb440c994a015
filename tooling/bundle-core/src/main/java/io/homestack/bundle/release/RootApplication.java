package io.homestack.bundle.release;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Yaml;
import io.homestack.bundle.render.ArgoCd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What deploys one built release onto a cluster that runs Argo CD, in one {@code kubectl apply}: the repository
 * credential template for the release registry, and the root Application (app-of-apps) pointing at the release
 * artifact by digest with {@code path: <environment>}, automated sync with prune and self-heal.
 *
 * <p>The credential template is a property of the release (where the cluster pulls from), not of a bundle. It holds no
 * secret: an anonymous registry needs only its URL and type; credentials for a registry that wants them are added on
 * the cluster, never here (docs/releases.md).
 */
public final class RootApplication {

    /** The repo-creds template's name; it matches every repository under {@link ReleaseSpec#registryUrl()}. */
    public static final String REGISTRY_CREDENTIALS = "homestack-release-registry";
    /** The AppProject of the root Application: the argocd bundle's, present since the bootstrap. */
    public static final String PROJECT = "platform";

    private RootApplication() {
    }

    /** {@code target/root-application-<environment>.yaml} of a release module. */
    public static Path file(Path buildDirectory, String environment) {
        return buildDirectory.resolve("root-application-" + environment + ".yaml");
    }

    /**
     * @param releaseDigest the release artifact's manifest digest (sha256:...)
     * @param plainHttp     the registry speaks plain HTTP (the k3d local registry): Argo CD must not try HTTPS
     */
    public static List<KubeObject> objects(ReleaseSpec spec, String releaseDigest, boolean plainHttp) {
        if (releaseDigest == null || !releaseDigest.matches("sha256:[0-9a-f]{64}")) {
            throw new BundleException("release " + spec.name() + ": '" + releaseDigest + "' is not a manifest digest"
                    + " (sha256:<64 hex>); package the release first (mvn package)");
        }
        return List.of(credentialTemplate(spec, plainHttp), application(spec, releaseDigest));
    }

    /** Writes the objects as one multi-document YAML file, all or nothing. */
    public static void write(List<KubeObject> objects, Path file) {
        String yaml = objects.stream().map(o -> Yaml.write(o.body())).collect(Collectors.joining("---\n"));
        try {
            Files.createDirectories(file.getParent());
            Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".partial");
            Files.writeString(partial, yaml);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BundleException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static KubeObject credentialTemplate(ReleaseSpec spec, boolean plainHttp) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "oci");
        data.put("url", spec.registryUrl());
        if (plainHttp) {
            data.put("insecureOCIForceHttp", "true");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", REGISTRY_CREDENTIALS);
        metadata.put("namespace", ArgoCd.NAMESPACE);
        metadata.put("labels", Map.of("argocd.argoproj.io/secret-type", "repo-creds", ArgoCd.LABEL_PART_OF, "homestack"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "v1");
        body.put("kind", "Secret");
        body.put("metadata", metadata);
        body.put("type", "Opaque");
        body.put("stringData", data);
        return new KubeObject(body, "release");
    }

    private static KubeObject application(ReleaseSpec spec, String digest) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", spec.name());
        metadata.put("namespace", ArgoCd.NAMESPACE);
        metadata.put("labels", Map.of(ArgoCd.LABEL_PART_OF, "homestack"));
        // No resources finalizer: deleting the root must leave the cluster running, not cascade through every bundle.
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("repoURL", spec.repoUrl(spec.name()));
        source.put("targetRevision", digest);
        source.put("path", spec.environment());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", ArgoCd.API_VERSION);
        body.put("kind", "Application");
        body.put("metadata", metadata);
        Map<String, Object> appSpec = new LinkedHashMap<>();
        appSpec.put("project", PROJECT);
        appSpec.put("source", source);
        appSpec.put("destination", Map.of("server", ArgoCd.IN_CLUSTER, "namespace", ArgoCd.NAMESPACE));
        appSpec.put("syncPolicy", ArgoCd.syncPolicy("ServerSideApply=true"));
        body.put("spec", appSpec);
        return new KubeObject(body, "release");
    }
}
