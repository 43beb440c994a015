package io.homestack.bundle.oci;

import io.homestack.bundle.BundleException;

import java.net.URI;

/**
 * Where bundles are pushed: a registry and a repository prefix, e.g. {@code localhost:5111} and {@code homestack},
 * so the bundle {@code media} lives at {@code localhost:5111/homestack/media}.
 *
 * @param registry         host or host:port, without scheme
 * @param repositoryPrefix path prefix of the bundle repositories; empty for none
 * @param plainHttp        speak HTTP instead of HTTPS (local registries only)
 */
public record RegistryTarget(String registry, String repositoryPrefix, boolean plainHttp) {

    public RegistryTarget {
        if (registry == null || registry.isBlank() || registry.contains("/") || registry.contains("://")) {
            throw new BundleException("Invalid registry '" + registry + "': give host or host:port without scheme or "
                    + "path (e.g. localhost:5111), and plain HTTP as a separate setting");
        }
        repositoryPrefix = repositoryPrefix == null ? "" : strip(repositoryPrefix);
        if (!repositoryPrefix.isEmpty() && !References.isRepository(repositoryPrefix)) {
            throw new BundleException("Invalid repository prefix '" + repositoryPrefix + "' for registry " + registry
                    + ": use lowercase path components such as 'homestack'");
        }
    }

    public static RegistryTarget https(String registry, String repositoryPrefix) {
        return new RegistryTarget(registry, repositoryPrefix, false);
    }

    public static RegistryTarget plainHttp(String registry, String repositoryPrefix) {
        return new RegistryTarget(registry, repositoryPrefix, true);
    }

    /** The repository of a bundle: prefix + "/" + name. */
    public String repository(String name) {
        String repository = repositoryPrefix.isEmpty() ? name : repositoryPrefix + "/" + name;
        if (!References.isRepository(repository)) {
            throw new BundleException("Invalid repository name '" + repository + "' on " + registry
                    + ": use lowercase letters, digits and single separators");
        }
        return repository;
    }

    /** The Argo CD repoURL of a bundle: {@code oci://registry/prefix/name}. */
    public String ociUrl(String name) {
        return "oci://" + registry + "/" + repository(name);
    }

    URI baseUri() {
        return URI.create((plainHttp ? "http" : "https") + "://" + registry);
    }

    private static String strip(String prefix) {
        String p = prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
