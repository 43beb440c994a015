package io.homestack.bundle.sbom;

import io.homestack.bundle.oci.Descriptor;
import io.homestack.bundle.oci.MediaTypes;
import io.homestack.bundle.oci.OciLayout;
import io.homestack.bundle.oci.OciLayoutWriter;
import io.homestack.bundle.oci.PushResult;
import io.homestack.bundle.oci.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * An artifact's SBOM as an OCI 1.1 referrer: an OCI image layout whose manifest has artifactType
 * {@value Sbom#MEDIA_TYPE}, the empty config, the SBOM as its one layer and the artifact's manifest as its
 * {@code subject}, so registries and clients (oras discover, skopeo, cosign) find it from the artifact's digest.
 */
public final class SbomReferrer {

    private SbomReferrer() {
    }

    /**
     * Writes the referrer for {@code artifact} into {@code layoutDir} (replacing what is there).
     *
     * @param repositoryUrl where the artifact is pushed, {@code registry/prefix/name}
     */
    public static OciLayout write(OciLayout artifact, String repositoryUrl, Path layoutDir) {
        byte[] sbom = Sbom.of(artifact, repositoryUrl);
        Descriptor subject = Descriptor.of(MediaTypes.OCI_MANIFEST, artifact.manifestDigest(),
                artifact.manifestBytes().length).withArtifactType(artifact.manifest().artifactType());
        return OciLayoutWriter.write(layoutDir, null, Sbom.MEDIA_TYPE, MediaTypes.EMPTY_JSON,
                "{}".getBytes(StandardCharsets.UTF_8), Sbom.MEDIA_TYPE, sbom,
                Map.of("org.opencontainers.image.title", "sbom.cdx.json"), subject);
    }

    /**
     * What {@code homestack:push} does after pushing {@code artifact}: writes its SBOM referrer into {@code layoutDir}
     * and attaches it ({@link RegistryClient#pushReferrer}: on a registry without the referrers API the referrers tag
     * index gets this entry added, every other referrer there, e.g. cosign's signature, kept).
     *
     * @param pushed the artifact's push, for the repository the SBOM names
     */
    public static PushResult attach(RegistryClient client, OciLayout artifact, PushResult pushed, String name,
                                    Path layoutDir) {
        OciLayout sbom = write(artifact, pushed.registry() + "/" + pushed.repository(), layoutDir);
        return client.pushReferrer(sbom, name);
    }
}
