package io.homestack.bundle.oci;

/** Media and artifact types of the homestack bundle format (docs/architecture.md §3). */
public final class MediaTypes {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** Accepted when resolving, so a registry never converts what it stores; rejected when pulling. */
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** The one layer: Argo CD (>= 3.1) and Flux accept gzip tars by default. */
    /** A container image's configuration (what Jib builds). */
    public static final String OCI_IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

    /** OCI 1.1 empty descriptor, used as config: an artifact has no image config. */
    public static final String EMPTY_JSON = "application/vnd.oci.empty.v1+json";

    public static final String BUNDLE_ARTIFACT_TYPE = "application/vnd.homestack.bundle.v1";

    /** Helm's OCI chart format (helm.sh/helm pkg/registry): the config is the chart's metadata as JSON. */
    public static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
    /** The chart archive, exactly what {@code helm package} writes. */
    public static final String HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    private MediaTypes() {
    }
}
