package io.homestack.bundle.diff;

import java.util.List;

/**
 * What changed from one release to the next: bundles (by digest), charts (by bundle and chart key), images (by
 * repository), and per changed bundle the objects of its render per environment. Every list is sorted; an empty diff
 * means the two releases deploy the same.
 */
public record ReleaseDiff(String from, String to, List<BundleChange> bundles, List<ChartChange> charts,
                          List<ImageChange> images, List<RenderChange> renders) {

    public enum Change { ADDED, REMOVED, CHANGED }

    /** Versions and digests are null on the side where the bundle is absent. */
    public record BundleChange(String name, Change change, String oldVersion, String newVersion, String oldDigest,
                               String newDigest) {
    }

    /** A chart of a bundle, keyed by the bundle and the chart's key in bundle.yaml. */
    public record ChartChange(String bundle, String name, Change change, String oldChart, String newChart) {
    }

    /** An image by repository; the references are null on the side where it is absent. */
    public record ImageChange(String repository, Change change, String oldReference, String newReference) {
    }

    /** The objects that differ in one environment of one changed bundle. */
    public record RenderChange(String bundle, String environment, List<ObjectChange> objects) {
    }

    /** @param key apiVersion kind namespace/name; fields only for CHANGED */
    public record ObjectChange(String key, Change change, List<FieldChange> fields) {
    }

    /** One field that differs; a null side is a field that is not there. */
    public record FieldChange(String path, Object before, Object after) {
    }

    public boolean isEmpty() {
        return bundles.isEmpty() && charts.isEmpty() && images.isEmpty();
    }
}
