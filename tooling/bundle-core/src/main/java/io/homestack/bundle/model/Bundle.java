package io.homestack.bundle.model;

import io.homestack.bundle.BundleException;

import java.nio.file.Path;
import java.util.List;

/** A bundle on disk: its directory and its descriptor. */
public record Bundle(Path dir, BundleDescriptor descriptor) {

    public static final String DESCRIPTOR = "bundle.yaml";

    /**
     * Reads the descriptor and checks the bundle's inputs (values/, manifests/) before anything reads them: no link
     * leaves the bundle directory, no file is too large ({@link BundleInputs}).
     */
    public static Bundle load(Path dir) {
        Bundle bundle = new Bundle(dir, new BundleDescriptorReader().read(dir.resolve(DESCRIPTOR)));
        try {
            for (Path inputs : List.of(bundle.valuesDir(), bundle.manifestsDir())) {
                BundleInputs.checkTree(dir, inputs, dir, "the bundle directory");
            }
        } catch (BundleException e) {
            throw new BundleException("[" + bundle.name() + "] " + e.getMessage(), e);
        }
        return bundle;
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
