package io.homestack.bundle.hydrate;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.model.ChartSpec;

import java.util.List;

/**
 * One chart rendered for one environment.
 *
 * @param location the chart directory, archive or repository reference it was rendered from
 * @param objects  its CRDs (from {@code crds/}) then its templates' objects, in Helm's order; each object's source is
 *                 {@code chart <name> <version>: <chart>/templates/<file>}
 */
public record HydratedChart(String environment, ChartSpec chart, String location, List<KubeObject> objects) {

    public HydratedChart {
        objects = List.copyOf(objects);
    }
}
