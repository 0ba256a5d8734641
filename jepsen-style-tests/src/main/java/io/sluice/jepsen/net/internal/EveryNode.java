package io.sluice.jepsen.net.internal;

import java.io.IOException;
import java.util.List;

/** Heals touch every node: one node failing must not leave the others unhealed. Stateless. */
final class EveryNode {
    private EveryNode() {
    }

    /** Something done in one node's namespace. */
    interface NodeAction {
        void run(int node) throws IOException;
    }

    /** Runs the action for every node, even after failures, then throws the first failure. */
    static void attempt(List<Integer> nodes, NodeAction action) throws IOException {
        IOException first = null;
        for (int node : nodes) {
            try {
                action.run(node);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
