package io.homestack.bundle.oci;

/** The pre-defined OCI annotation keys homestack writes. */
public final class Annotations {

    public static final String TITLE = "org.opencontainers.image.title";
    public static final String VERSION = "org.opencontainers.image.version";
    public static final String SOURCE = "org.opencontainers.image.source";
    public static final String REVISION = "org.opencontainers.image.revision";
    public static final String DESCRIPTION = "org.opencontainers.image.description";
    /** Tag of a manifest inside an OCI image layout's index.json. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    private Annotations() {
    }
}
