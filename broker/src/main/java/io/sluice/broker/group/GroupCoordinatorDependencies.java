package io.sluice.broker.group;

import io.sluice.common.Clock;
import java.util.Objects;

/**
 * What the group coordinator needs from the rest of the node; the node wires these to the metadata
 * store, the partition leaders and the controller. Immutable.
 *
 * @param store         group state and committed offsets (the metadata quorum)
 * @param catalog       live topics
 * @param logEndOffsets partition offsets for lag reports
 * @param locator       where the coordinator is, and whether it is this node
 * @param clock         wall time for commit timestamps and, in the driver, monotonic time for timers
 */
public record GroupCoordinatorDependencies(GroupStore store, TopicCatalog catalog, LogEndOffsets logEndOffsets,
        CoordinatorLocator locator, Clock clock) {
    public GroupCoordinatorDependencies {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(logEndOffsets, "logEndOffsets");
        Objects.requireNonNull(locator, "locator");
        Objects.requireNonNull(clock, "clock");
    }
}
