package io.sluice.client.producer.internal;

import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.producer.Murmur2;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Chooses the partition of a record that does not name one. A key goes to
 * {@code murmur2(key) % partitions}, exactly as Kafka's default partitioner does, whether or not
 * that partition has a leader right now (per-key order matters more than availability). A record
 * without a key goes, per {@code partitioner.null.key}:
 * <ul>
 *   <li>{@code sticky}: to the same partition until about {@code batch.size} bytes went there, then
 *       to the next partition with a leader, so that keyless records fill whole batches (Kafka's
 *       KIP-480 idea, switching by bytes rather than by batch so the choice is deterministic);</li>
 *   <li>{@code round-robin}: each to the next partition with a leader in turn.</li>
 * </ul>
 * Starting points are drawn from the injected {@link Random}, so that producers started together
 * do not all begin at partition 0. Not thread-safe: the accumulator calls it under its lock.
 */
public final class Partitioner {
    private final boolean sticky;
    private final int batchSizeBytes;
    private final Random random;
    private final Map<String, Integer> counters = new HashMap<>();
    private final Map<String, StickyChoice> stickyChoices = new HashMap<>();

    private static final class StickyChoice {
        int partition;
        long bytes;

        StickyChoice(int partition) {
            this.partition = partition;
        }
    }

    public Partitioner(boolean sticky, int batchSizeBytes, Random random) {
        this.sticky = sticky;
        this.batchSizeBytes = batchSizeBytes;
        this.random = random;
    }

    /**
     * The partition for a record of {@code recordBytes} with {@code key} (may be null); the topic's
     * partition count must be known in {@code cluster}.
     */
    public int partition(String topic, byte[] key, int recordBytes, Cluster cluster) {
        int count = cluster.partitionCount(topic);
        if (count <= 0) {
            throw new IllegalStateException("no metadata for topic " + topic);
        }
        if (key != null) {
            return Murmur2.partitionForKey(key, count);
        }
        if (!sticky) {
            return nextPartition(topic, count, cluster);
        }
        StickyChoice choice = stickyChoices.get(topic);
        if (choice == null || choice.bytes >= batchSizeBytes || choice.partition >= count
                || !cluster.hasUsableLeader(topic, choice.partition)) {
            choice = new StickyChoice(nextPartition(topic, count, cluster));
            stickyChoices.put(topic, choice);
        }
        choice.bytes += recordBytes;
        return choice.partition;
    }

    private int nextPartition(String topic, int count, Cluster cluster) {
        int next = counters.compute(topic, (t, c) -> c == null ? random.nextInt(Integer.MAX_VALUE) : c + 1)
                & 0x7fffffff;
        List<Cluster.Partition> available = cluster.availablePartitions(topic);
        if (available.isEmpty()) {
            return next % count;
        }
        return available.get(next % available.size()).topicPartition().partition();
    }
}
