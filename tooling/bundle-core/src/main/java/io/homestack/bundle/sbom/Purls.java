package io.homestack.bundle.sbom;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Package URLs (github.com/package-url/purl-spec) for what homestack deploys. */
final class Purls {

    private Purls() {
    }

    /** {@code pkg:helm/<chart>@<version>?repository_url=<repository>}: an https or OCI chart repository. */
    static String helm(String chart, String version, String repository) {
        return "pkg:helm/" + enc(chart) + "@" + enc(version) + "?repository_url=" + enc(repository);
    }

    /**
     * {@code pkg:docker/<namespace>/<name>@<tag>?repository_url=<host>} for an image pinned by tag, as the bundles
     * list them ({@code host/path/name:tag}).
     */
    static String docker(String image) {
        int slash = image.indexOf('/');
        int at = image.indexOf('@');
        int colon = at >= 0 ? at : image.lastIndexOf(':');
        String host = image.substring(0, slash);
        String path = image.substring(slash + 1, colon);
        if (at < 0 && path.contains(":")) { // host:port/name:tag has its tag after the last colon, found above
            path = path.substring(0, path.indexOf(':'));
        }
        int last = path.lastIndexOf('/');
        String namespace = last < 0 ? "" : path.substring(0, last);
        String name = path.substring(last + 1);
        return "pkg:docker/" + (namespace.isEmpty() ? "" : enc(namespace).replace("%2F", "/") + "/") + enc(name)
                + "@" + enc(image.substring(colon + 1)) + "?repository_url=" + enc(host);
    }

    /** {@code pkg:oci/<name>@<digest>?repository_url=<registry/path/name>}: a homestack artifact by digest. */
    static String oci(String name, String digest, String repositoryUrl) {
        return "pkg:oci/" + enc(name) + "@" + enc(digest) + "?repository_url=" + enc(repositoryUrl);
    }

    /** {@code pkg:deb/debian/<package>@<version>?arch=<arch>}: a Debian package in an image's base. */
    static String deb(String name, String version, String arch) {
        return "pkg:deb/debian/" + enc(name) + "@" + enc(version) + "?arch=" + enc(arch);
    }

    /** {@code pkg:maven/<group>/<artifact>@<version>}: a Java library in an image. */
    static String maven(String group, String artifact, String version) {
        return "pkg:maven/" + enc(group) + "/" + enc(artifact) + "@" + enc(version);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
