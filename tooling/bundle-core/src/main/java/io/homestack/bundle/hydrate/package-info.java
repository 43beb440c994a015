/**
 * The optional {@code hydrate} step (docs/architecture.md §2): renders a bundle's upstream charts in-process with Helm
 * (helm-java) for rendered diffs and a policy report. Never part of {@code mvn install}: Argo CD renders the charts at
 * sync time, and the charts are not vendored, so hydrate needs a chart source ({@link
 * io.homestack.bundle.hydrate.ChartSource}).
 *
 * <p>helm-java is an optional dependency of bundle-core. Only {@code HelmJava} refers to it, and only
 * {@link io.homestack.bundle.hydrate.Hydrator#hydrate} reaches {@code HelmJava}, so loading bundle-core (even this
 * package) never loads the ~100 MB native Helm library; callers without helm-java on the class path get a
 * {@link io.homestack.bundle.BundleException} saying so.
 *
 * <p>Decisions (docs/hydrate.md):
 * <ul>
 *   <li>Templates are rendered with the merged values Argo CD gets ({@code ChartApplications#values}), the chart's
 *       namespace and release name, and Kubernetes {@link io.homestack.bundle.hydrate.Hydrator#KUBE_VERSION}: offline
 *       Helm would otherwise assume v1.20.0.</li>
 *   <li>The chart's own {@code Chart.yaml} must have the pinned name and version.</li>
 *   <li>CRDs of {@code crds/} directories are added (Argo CD applies them; {@code helm template} via helm-java cannot
 *       include them), and namespaced objects without a namespace get the chart's namespace, as Argo CD applies
 *       them.</li>
 *   <li>Policies are reported, never enforced, for chart-rendered objects: they are upstream's, and a bundle fixes
 *       them through values or accepts them.</li>
 * </ul>
 */
package io.homestack.bundle.hydrate;
