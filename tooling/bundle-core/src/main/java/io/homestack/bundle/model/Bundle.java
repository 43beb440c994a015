package io.homestack.bundle.model;

import java.nio.file.Path;

/** A bundle on disk: its directory and its descriptor. */
public record Bundle(Path dir, BundleDescriptor descriptor) {

    public static final String DESCRIPTOR = "bundle.yaml";

    public static Bundle load(Path dir) {
        return new Bundle(dir, new BundleDescriptorReader().read(dir.resolve(DESCRIPTOR)));
    }

    public String name() {
        return descriptor.name();
    }

    public Path valuesDir() {
        return dir.resolve("values");
    }

    public Path manifestsDir() {
        return dir.resolve("manifests");
    }
}
