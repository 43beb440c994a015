package io.homestack.bundle.oci;

import io.homestack.bundle.BundleException;

/**
 * What a bundle artifact says about itself: its name (the last component of its repository), version and the
 * OCI annotations, plus the tag it gets in the layout and the registry.
 *
 * <p><b>Tags and '+'.</b> OCI tags cannot contain {@code +}. Helm stores SemVer build metadata as {@code _}
 * and Argo CD shows (and resolves) every {@code _} in a tag as {@code +}, so a tag {@code 1.0_1} would be read
 * back as the different version {@code 1.0+1}. homestack does not map silently: a version containing {@code +}
 * and a tag containing {@code _} are both rejected with an explanation. Use {@code -} (e.g. {@code 1.4.0-rc.1}).
 *
 * @param source      URL of the sources (annotation {@code org.opencontainers.image.source}); null to omit
 * @param revision    VCS revision the bundle was built from; null to omit (homestack's own bundles omit it, so their
 *                    digest depends on their content only)
 * @param description one line; null to omit
 * @param tag         tag in the layout's index.json and in the registry; null means the version
 */
public record ArtifactSpec(String name, String version, String source, String revision, String description, String tag) {

    public ArtifactSpec {
        if (name == null || !References.NAME_COMPONENT.matcher(name).matches()) {
            throw new BundleException("Invalid bundle name '" + name + "': it becomes an OCI repository name, so use "
                    + "lowercase letters, digits and single separators ('.', '_', '-'), e.g. 'home-automation'");
        }
        if (version == null || version.isBlank()) {
            throw new BundleException("Bundle " + name + " has no version");
        }
        if (version.contains("+")) {
            throw new BundleException("Bundle " + name + " has version '" + version + "': OCI tags cannot contain '+' "
                    + "and Argo CD reads '_' in a tag as '+', so homestack refuses build metadata in versions; "
                    + "use '-' instead (e.g. '" + version.replace('+', '-') + "')");
        }
        tag = tag == null ? version : tag;
        if (!References.isTag(tag)) {
            throw new BundleException("Bundle " + name + " cannot be tagged '" + tag + "': an OCI tag is 1 to 128 "
                    + "letters, digits, '.', '_' or '-' and must not start with '.' or '-'");
        }
        if (tag.contains("_")) {
            throw new BundleException("Bundle " + name + " cannot be tagged '" + tag + "': Argo CD shows and resolves "
                    + "'_' in OCI tags as '+', so the tag would not match the version; use '-' instead");
        }
    }

    /** A spec tagged with its version and without source, revision or description. */
    public static ArtifactSpec of(String name, String version) {
        return new ArtifactSpec(name, version, null, null, null, null);
    }

    /** File name of the layer, used for the layer's title annotation and the attached Maven artifact. */
    public String layerTitle() {
        return name + "-" + version + ".tar.gz";
    }
}
