package io.homestack.bundle.model;

import java.util.List;

/**
 * The content of a bundle's {@code bundle.yaml}. Read strictly by {@link BundleDescriptorReader}.
 *
 * @param name         the bundle name: the OCI repository ({@code homestack/<name>}) and Application name
 * @param description  one line for people; becomes the OCI description annotation
 * @param group        the Argo CD AppProject the bundle belongs to ({@link #GROUPS})
 * @param namespaces   the namespaces the bundle owns
 * @param environments the environments the bundle supports; empty means all of {@link #ENVIRONMENTS}
 * @param charts       the upstream charts it deploys
 * @param images       images the bundle runs in every environment that neither its charts nor its own objects name
 *                     (chart images belong to the chart's {@code images})
 * @param intentionallyEmpty the environments where the bundle deploys nothing on purpose; elsewhere no objects is an
 *                     error (a lost overlay or a wrong {@code environments} would otherwise ship an empty bundle)
 */
public record BundleDescriptor(String name, String description, String group, List<String> namespaces,
                               List<String> environments, List<ChartSpec> charts, List<String> images,
                               List<String> intentionallyEmpty) {

    /** Every environment homestack knows, in release order. */
    public static final List<String> ENVIRONMENTS = List.of("k3d", "k3s");

    /** The Argo CD AppProjects bundles are grouped into. */
    public static final List<String> GROUPS = List.of("platform", "observability", "workloads");

    public BundleDescriptor {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        environments = environments == null || environments.isEmpty() ? ENVIRONMENTS : List.copyOf(environments);
        charts = charts == null ? List.of() : List.copyOf(charts);
        images = images == null ? List.of() : List.copyOf(images);
        intentionallyEmpty = intentionallyEmpty == null ? List.of() : List.copyOf(intentionallyEmpty);
    }

    /** A descriptor with no intentionally empty environment. */
    public BundleDescriptor(String name, String description, String group, List<String> namespaces,
                            List<String> environments, List<ChartSpec> charts, List<String> images) {
        this(name, description, group, namespaces, environments, charts, images, null);
    }

    public List<ChartSpec> chartsFor(String environment) {
        return charts.stream().filter(c -> c.appliesTo(environment)).toList();
    }
}
