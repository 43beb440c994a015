/**
 * Bundle artifacts as OCI: the reproducible layer, the image layout on disk and the registry client.
 *
 * <p>Format decisions (docs/architecture.md §3):
 * <ul>
 *   <li>One OCI image manifest (never an index) with {@code artifactType application/vnd.homestack.bundle.v1}, the
 *       OCI empty descriptor as config, and exactly one layer {@code application/vnd.oci.image.layer.v1.tar+gzip}
 *       titled {@code <name>-<version>.tar.gz}: what Argo CD (3.1+) and Flux both accept.</li>
 *   <li>Manifest annotations {@code org.opencontainers.image.title/version/source/description}, no {@code created}
 *       (a wall-clock time would change the digest on every build) and, from the plugin, no {@code revision} (a Git
 *       commit would make the digest depend on the clone, not on the content).</li>
 *   <li>The layer ({@link io.homestack.bundle.oci.ReproducibleTarGz}) depends only on relative paths, file
 *       contents and project.build.outputTimestamp: sorted entries, parent directories, uid/gid 0, no owner names,
 *       modes 0644/0755, pax headers only for long or non-ASCII names, no symlinks, gzip without name or time.</li>
 *   <li>JSON ({@link io.homestack.bundle.oci.CanonicalJson}): sorted keys, no whitespace, UTF-8, integers only.</li>
 *   <li>Tags: no {@code +} in versions and no {@code _} in tags, because Argo CD reads {@code _} as {@code +}
 *       (see {@link io.homestack.bundle.oci.ArtifactSpec}).</li>
 *   <li>Layouts are written to a temporary sibling and renamed into place, so a failed build never leaves a
 *       half-written layout; readers verify every blob's size and sha256.</li>
 *   <li>The registry client speaks the OCI distribution API itself (no ORAS) so the pushed bytes are the layout's
 *       bytes; it supports anonymous, Basic and Bearer-token registries, plain HTTP on request, and bounded
 *       exponential retries for connection failures, 5xx and 429 only.</li>
 * </ul>
 */
package io.homestack.bundle.oci;
