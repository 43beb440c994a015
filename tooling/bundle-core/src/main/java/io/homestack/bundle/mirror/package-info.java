/**
 * The chart mirror (docs/mirror.md): copies a pushed release's upstream charts into an OCI registry in Helm's format
 * and pushes a relocated release whose chart Applications use them. {@link io.homestack.bundle.mirror.ChartMirror}
 * runs it; charts are located and checked by hydrate's {@link io.homestack.bundle.hydrate.LocalChart}, artifacts are
 * pulled and pushed with {@link io.homestack.bundle.oci.RegistryClient}.
 */
package io.homestack.bundle.mirror;
