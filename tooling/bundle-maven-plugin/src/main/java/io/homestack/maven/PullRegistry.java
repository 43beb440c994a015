package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.inventory.Inventory;

import java.io.File;

/**
 * The registry a release's cluster pulls from: {@code homestack.pullRegistry} when set (k3d), otherwise
 * {@code registry} of the environment's inventory ({@code homestack.inventory}, k3s), so it is written in one place.
 */
final class PullRegistry {

    private PullRegistry() {
    }

    static String resolve(String pullRegistry, File inventory, String artifactId) {
        if (pullRegistry != null && !pullRegistry.isBlank()) {
            return pullRegistry;
        }
        if (inventory == null) {
            throw new BundleException("release " + artifactId + ": no registry to pull from: set homestack.pullRegistry"
                    + " or homestack.inventory (an inventory with `registry`)");
        }
        try {
            return Inventory.read(inventory.toPath()).requireRegistry();
        } catch (IllegalArgumentException e) {
            throw new BundleException("release " + artifactId + ": " + e.getMessage(), e);
        }
    }
}
