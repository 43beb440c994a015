package io.homestack.bundle.oci;

/**
 * A pushed bundle.
 *
 * @param digest        the manifest digest, confirmed by the registry
 * @param blobsUploaded blobs sent; the others were already there (a repeated push uploads none)
 */
public record PushResult(String registry, String repository, String tag, String digest, int blobsUploaded,
                         int blobsSkipped) {

    /** registry/repository:tag */
    public String reference() {
        return registry + "/" + repository + ":" + tag;
    }

    /** registry/repository@digest: what releases point Argo CD at. */
    public String pinnedReference() {
        return registry + "/" + repository + "@" + digest;
    }
}
