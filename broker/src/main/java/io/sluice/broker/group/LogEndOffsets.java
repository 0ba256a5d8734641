package io.sluice.broker.group;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Looks up partition offsets for lag reports (DescribeGroups with {@code include_lag}). The answers
 * come from the partitions' leaders, so the lookup is asynchronous.
 *
 * <p>Thread-safe. The future may complete on any thread; it should complete within a few seconds
 * (the implementation owns its timeouts). A partition missing from the answer, or a future that fails,
 * is reported as unknown ({@code -1}) and does not fail the description.
 */
public interface LogEndOffsets {
    /** The offsets of as many of {@code partitions} as can be learnt. */
    CompletableFuture<Map<TopicIdPartition, PartitionOffsets>> lookup(Set<TopicIdPartition> partitions);
}
