package io.homestack.bundle.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The kubectl commands that put an inventory's labels on the real machines: one {@code kubectl label node} per node
 * that has labels, {@code --overwrite} so that running them again changes nothing. Labels are sorted so the output is
 * stable. A label removed from the inventory is not removed from the node (docs/deploy-k3s.md says how).
 * The inventory has validated every name, key and value, so nothing needs shell quoting.
 */
public final class NodeLabelCommands {

    private NodeLabelCommands() {
    }

    public static List<String> of(Inventory inventory) {
        List<String> commands = new ArrayList<>();
        for (Inventory.Node node : inventory.nodes()) {
            if (node.labels().isEmpty()) {
                continue;
            }
            StringBuilder command = new StringBuilder("kubectl label node " + node.name() + " --overwrite");
            new TreeMap<>(node.labels()).forEach((k, v) -> command.append(' ').append(k).append('=').append(v));
            commands.add(command.toString());
        }
        return commands;
    }
}
