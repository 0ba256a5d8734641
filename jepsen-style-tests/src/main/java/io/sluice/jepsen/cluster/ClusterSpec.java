package io.sluice.jepsen.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What cluster to launch.
 *
 * @param nodes          how many nodes, 1-9 (chaos runs use 3 or 5)
 * @param dir            where the nodes' directories go ({@code n1}, {@code n2}, ...)
 * @param command        what starts a node
 * @param overrides      node settings written over the harness's defaults ({@link NodeSettings})
 * @param readyTimeoutMs how long a start may take before the node counts as failed
 * @param stopGraceMs    how long SIGTERM has before SIGKILL follows
 */
public record ClusterSpec(int nodes, Path dir, NodeCommand command, Map<String, String> overrides,
        long readyTimeoutMs, long stopGraceMs) {
    /** Most nodes a cluster may have (addresses and ports are laid out for 9). */
    public static final int MAX_NODES = 9;

    public ClusterSpec {
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("a cluster has 1-" + MAX_NODES + " nodes, not " + nodes);
        }
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(command, "command");
        overrides = Map.copyOf(new LinkedHashMap<>(overrides));
        if (readyTimeoutMs <= 0 || stopGraceMs <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }
}
