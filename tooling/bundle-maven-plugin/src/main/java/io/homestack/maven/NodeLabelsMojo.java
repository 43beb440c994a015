package io.homestack.maven;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.inventory.Inventory;
import io.homestack.bundle.inventory.NodeLabelCommands;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints the kubectl commands that label the real machines as the inventory says, one a line
 * ({@link NodeLabelCommands}). What {@code make label-nodes} runs (scripts/label-nodes.sh):
 *
 * <pre>mvn -q -o io.homestack:bundle-maven-plugin:&lt;version&gt;:node-labels -Dhomestack.inventory=clusters/k3s/inventory.yaml</pre>
 */
@Mojo(name = "node-labels", requiresProject = false, threadSafe = true)
public class NodeLabelsMojo extends ProjectlessMojo {

    /** The inventory file; relative to the directory Maven runs in. */
    @Parameter(property = "homestack.inventory")
    private String inventory;

    @Override
    public void execute() throws MojoFailureException {
        try {
            if (inventory == null || inventory.isBlank()) {
                throw new BundleException("No inventory: set -Dhomestack.inventory (clusters/k3s/inventory.yaml)");
            }
            Inventory parsed;
            try {
                parsed = Inventory.read(workingDir().resolve(inventory).normalize());
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                throw new BundleException(e.getMessage(), e);
            }
            print(String.join("\n", NodeLabelCommands.of(parsed)) + "\n");
        } catch (BundleException e) {
            throw failure(e);
        }
    }
}
