package io.sluice.client.consumer;

import io.sluice.client.common.TopicPartition;
import java.util.Collection;

/**
 * Told when the group gives this consumer partitions or takes them away. Sluice groups rebalance
 * incrementally (KIP-848): only the partitions that move are revoked; the others keep flowing
 * and are never mentioned. Every method runs on the thread that calls {@code poll} (or
 * {@code close}/{@code unsubscribe}), inside that call, so it may call the consumer (commit, seek).
 */
public interface ConsumerRebalanceListener {
    /**
     * These partitions are being taken away: no more of their records will be returned. Commit
     * what you processed of them now if you commit yourself; with auto-commit the consumer commits
     * their positions right after this returns. Their new owner starts at the committed offsets.
     */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /** These partitions were added; they start at their committed offsets (or the reset policy). */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    /**
     * These partitions were lost without a chance to commit: the consumer was fenced (its session
     * expired) and others may own them already. Committing is pointless. By default this calls
     * {@link #onPartitionsRevoked}, as Kafka does.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }
}
