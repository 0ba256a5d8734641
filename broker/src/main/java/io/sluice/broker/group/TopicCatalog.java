package io.sluice.broker.group;

import java.util.Optional;

/**
 * The live topics as this node's metadata image knows them. The coordinator re-evaluates every
 * group's subscriptions when {@link #version()} changes, so topics created, deleted or grown move
 * partitions without any consumer asking.
 *
 * <p>Implementations must be thread-safe; the coordinator calls them from its own thread and expects
 * quick, non-blocking answers from a local image.
 */
public interface TopicCatalog {
    /**
     * A number that changes whenever a topic is created or deleted or its partition count changes (for
     * example the metadata log index of the image). Equal numbers mean equal topics.
     */
    long version();

    /** The live topic with this name, if any. */
    Optional<TopicInfo> topicByName(String name);

    /** The live topic with this id, if any. */
    Optional<TopicInfo> topicById(String topicId);
}
