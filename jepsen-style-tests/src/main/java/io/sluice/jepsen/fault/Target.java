package io.sluice.jepsen.fault;

import java.util.List;

/**
 * Which nodes a node-level fault hits. Sizes for {@code n} nodes: one; a minority of
 * {@code majority(n) - 1}; a majority of {@code majority(n) = n/2 + 1}; all; or the nodes that
 * lead now, learnt from the {@link LeaderLocator} when the fault starts.
 */
public final class Target {
    /** One node. */
    public static final String ONE = "one";
    /** The largest minority. */
    public static final String MINORITY = "minority";
    /** The smallest majority. */
    public static final String MAJORITY = "majority";
    /** Every node. */
    public static final String ALL = "all";
    /** The current leaders. */
    public static final String LEADERS = "leaders";

    /** Every node-level target. */
    public static final List<String> NODE_TARGETS = List.of(ONE, MINORITY, MAJORITY, ALL, LEADERS);

    private Target() {
    }

    /** The smallest majority of {@code n} nodes. */
    public static int majority(int n) {
        return n / 2 + 1;
    }

    /** How many nodes a fixed-size target takes out of {@code n} (not for {@link #LEADERS}). */
    public static int size(String target, int n) {
        return switch (target) {
            case ONE -> 1;
            case MINORITY -> Math.max(1, majority(n) - 1);
            case MAJORITY -> Math.min(n, majority(n));
            case ALL -> n;
            default -> throw new IllegalArgumentException("target '" + target + "' has no fixed size");
        };
    }
}
