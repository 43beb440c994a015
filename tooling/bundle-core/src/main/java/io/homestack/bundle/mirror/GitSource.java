package io.homestack.bundle.mirror;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.oci.ArtifactSpec;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Application source that is a Git repository (repoURL not {@code oci://}, no {@code chart}), and where a sources
 * directory holds its tree: {@code <dir>/<host>/<repository path without .git>@<targetRevision>/}, e.g.
 * {@code github.com/argoproj/argo-cd@v3.6.1/} for {@code https://github.com/argoproj/argo-cd.git} at {@code v3.6.1}.
 *
 * @param revision the targetRevision as written (null: Argo CD's HEAD)
 * @param host     the repository's host, without user or port
 * @param path     the repository's path on the host, without {@code .git}
 */
record GitSource(String repoUrl, String revision, String host, String path) {

    /** {@code git@host:path} (scp-like syntax, as git accepts it). */
    private static final Pattern SCP = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(?!//)(.+)$");

    /** The Git source of an Application's {@code spec.source}, or null when it is OCI, a chart or absent. */
    static GitSource of(Map<String, Object> source, String where) {
        String repoUrl = KubeObject.string(source.get("repoURL"));
        if (repoUrl == null || repoUrl.startsWith("oci://") || source.get("chart") != null) {
            return null;
        }
        String host;
        String path;
        Matcher scp = SCP.matcher(repoUrl);
        if (repoUrl.contains("://")) {
            try {
                URI uri = new URI(repoUrl);
                host = uri.getHost();
                path = uri.getPath();
            } catch (URISyntaxException e) {
                throw new BundleException(where + ": repoURL '" + repoUrl + "' is not a URL: " + e.getMessage(), e);
            }
        } else if (scp.matches()) {
            host = scp.group(1);
            path = scp.group(2);
        } else {
            throw new BundleException(where + ": repoURL '" + repoUrl + "' is neither oci://, a chart repository (no"
                    + " chart) nor a Git URL (https://host/path, ssh://host/path or user@host:path)");
        }
        path = path == null ? "" : path.replaceAll("^/+|/+$", "").replaceAll("\\.git$", "");
        if (host == null || host.isBlank() || path.isEmpty() || List.of(path.split("/")).contains("..")) {
            throw new BundleException(where + ": Git repoURL '" + repoUrl + "' has no host or repository path");
        }
        return new GitSource(repoUrl, KubeObject.string(source.get("targetRevision")), host, path);
    }

    /** The revision as a directory suffix and tag: Argo CD reads a missing targetRevision as HEAD. */
    String pinnedRevision() {
        return revision == null || revision.isBlank() ? "HEAD" : revision;
    }

    /** The repository's name: the last path segment, also its repository name in the mirror. */
    String name() {
        return path.substring(path.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
    }

    /** The key of its move (Relocation): one per repository and revision. */
    String key() {
        return "git " + repoUrl + "@" + pinnedRevision();
    }

    /** Where a sources directory holds it, relative: {@code <host>/<path>@<revision>}. */
    String relativeDirectory() {
        return host + "/" + path + "@" + pinnedRevision();
    }

    /** The first of the directories holding it, or null. */
    Path find(List<Path> directories) {
        return directories.stream().map(d -> d.resolve(relativeDirectory())).filter(Files::isDirectory).findFirst()
                .orElse(null);
    }

    /** Its artifact in the mirror: the repository's name, tagged with the revision; the repoURL as its source. */
    ArtifactSpec artifact() {
        return new ArtifactSpec(name(), pinnedRevision(), repoUrl, null, repoUrl + " at " + pinnedRevision()
                + " (a Git source, mirrored by homestack)", null);
    }
}
