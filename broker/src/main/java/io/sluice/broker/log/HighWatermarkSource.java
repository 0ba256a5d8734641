package io.sluice.broker.log;

/**
 * Tells the {@link LogManager} each partition's high watermark, which only the partition's owner
 * (the replication core) knows. Retention never deletes a segment that is not entirely below it, so
 * a consumer is never denied records it has been promised. Called from the maintenance thread; must
 * be thread-safe and quick.
 */
@FunctionalInterface
public interface HighWatermarkSource {
    /** A source that knows nothing: retention deletes nothing. */
    HighWatermarkSource UNKNOWN = partition -> -1;

    /** The partition's high watermark, or -1 when it is not known (a replica that is not online). */
    long highWatermark(TopicIdPartition partition);
}
