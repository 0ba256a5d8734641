package io.sluice.broker.group.internal;

import io.sluice.broker.group.TopicIdPartition;
import java.util.Map;
import java.util.SortedSet;

/**
 * A server-side assignor: computes a group's target assignment. Implementations are deterministic
 * (equal inputs give equal outputs), stateless and thread-safe. Every partition of every topic some
 * member subscribes to goes to exactly one member that subscribes to its topic.
 */
public interface Assignor {
    /** The name members ask for in {@code server_assignor}. */
    String name();

    /** The target assignment: member id to partitions, an entry for every member. */
    Map<String, SortedSet<TopicIdPartition>> assign(AssignmentInput input);
}
