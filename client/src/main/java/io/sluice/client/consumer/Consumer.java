package io.sluice.client.consumer;

import io.sluice.client.common.TopicPartition;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads records from Sluice partitions, alone ({@link #assign}) or as a member of a consumer group
 * ({@link #subscribe}). Not thread-safe, like Kafka's consumer: one application thread calls it
 * (a second thread may only call {@link #wakeup}). Group heartbeats, fetching and commits run on
 * a background thread, so a slow loop body does not cost the group membership until
 * {@code max.poll.interval.ms}. {@link SluiceConsumer} is the implementation.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface Consumer<K, V> extends AutoCloseable {
    /** Reads exactly these partitions, without a group (commits still need {@code group.id}). */
    void assign(Collection<TopicPartition> partitions);

    /** Joins the group ({@code group.id}) for these topics; the coordinator assigns partitions. */
    void subscribe(Collection<String> topics);

    /** As {@link #subscribe(Collection)}, telling {@code listener} about partitions that move. */
    void subscribe(Collection<String> topics, ConsumerRebalanceListener listener);

    /** Leaves the group (revoking every partition) or drops the manual assignment. */
    void unsubscribe();

    /** The partitions assigned now. */
    Set<TopicPartition> assignment();

    /** The topics subscribed to (empty with {@link #assign}). */
    Set<String> subscription();

    /**
     * Returns records fetched since the last call, waiting up to {@code timeout} for some. Runs
     * rebalance callbacks and async-commit callbacks first, and with auto-commit commits the
     * positions of what earlier calls returned. Throws errors that need the application
     * (an invalid position with {@code auto.offset.reset=none}, a fatal group error).
     */
    ConsumerRecords<K, V> poll(Duration timeout);

    /** Commits the positions of everything returned so far, waiting up to {@code default.api.timeout.ms}. */
    void commitSync();

    /** Commits the positions of everything returned so far, waiting up to {@code timeout}. */
    void commitSync(Duration timeout);

    /** Commits the given offsets, waiting up to {@code default.api.timeout.ms}. */
    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets);

    /** Commits the given offsets, waiting up to {@code timeout}. */
    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout);

    /** Commits the positions of everything returned so far, without waiting. */
    void commitAsync();

    /** As {@link #commitAsync()}, calling {@code callback} from a later {@code poll}. */
    void commitAsync(OffsetCommitCallback callback);

    /** Commits the given offsets without waiting; {@code callback} (may be null) runs in a later {@code poll}. */
    void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback);

    /** The next {@code poll} returns {@code partition}'s records from {@code offset}. */
    void seek(TopicPartition partition, long offset);

    /** The next fetch of these partitions starts at their log start offset. */
    void seekToBeginning(Collection<TopicPartition> partitions);

    /** The next fetch of these partitions starts at their end (the high watermark). */
    void seekToEnd(Collection<TopicPartition> partitions);

    /**
     * Seeks each partition to the first record at or after {@code timestampMs} (to the end when no
     * record is that recent), waiting up to {@code default.api.timeout.ms} for the lookup.
     */
    void seekToTimestamp(Collection<TopicPartition> partitions, long timestampMs);

    /** The offset of the next record {@code poll} will return for {@code partition}, looking it up if needed. */
    long position(TopicPartition partition);

    /** As {@link #position(TopicPartition)}, waiting at most {@code timeout}. */
    long position(TopicPartition partition, Duration timeout);

    /** The group's committed offsets for these partitions (absent ones have none). */
    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions);

    /** As {@link #committed(Set)}, waiting at most {@code timeout}. */
    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout);

    /**
     * For each partition, the first offset whose record's timestamp is at or after the given time;
     * null values for partitions with no such record.
     */
    Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps);

    /** The log start offsets. */
    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

    /** The end offsets (high watermarks). */
    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

    /**
     * How many records of {@code partition} this consumer has not yet read: high watermark minus
     * position, as of the last fetch answer; empty before the first. Never blocks.
     */
    OptionalLong currentLag(TopicPartition partition);

    /** The partitions of {@code topic}, waiting up to {@code default.api.timeout.ms} for metadata. */
    List<TopicPartition> partitionsFor(String topic);

    /** Stops returning records of these partitions (their positions stay) until {@link #resume}. */
    void pause(Collection<TopicPartition> partitions);

    /** Returns records of these partitions again. */
    void resume(Collection<TopicPartition> partitions);

    /** The paused partitions. */
    Set<TopicPartition> paused();

    /** Makes a blocking call in progress (or the next one) throw {@code WakeupException}. Thread-safe. */
    void wakeup();

    /** Commits (with auto-commit), leaves the group and closes, waiting up to 30 seconds. */
    @Override
    void close();

    /** As {@link #close()}, waiting at most {@code timeout}. */
    void close(Duration timeout);
}
