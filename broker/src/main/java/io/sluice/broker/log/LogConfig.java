package io.sluice.broker.log;

/**
 * The settings of one partition log, taken from its topic's configs (Kafka's names in brackets).
 *
 * @param segmentBytes         roll a new segment when the active one would pass this size
 *                             [segment.bytes]
 * @param segmentMs            roll a new segment when the active one's first batch is this old
 *                             [segment.ms]
 * @param retentionMs          delete whole segments whose newest record is older; -1 keeps forever
 *                             [retention.ms]
 * @param retentionBytes       delete the oldest segments while the log is larger; -1 = no limit
 *                             [retention.bytes]
 * @param maxMessageBytes      the largest batch accepted [max.message.bytes]
 * @param logAppendTime        stamp the broker's append time into batches
 *                             [message.timestamp.type=LogAppendTime]
 * @param flushPolicy          when appended batches are forced to disk [flush.policy]
 * @param flushIntervalMs      the interval for {@link FlushPolicy#INTERVAL} [flush.ms]
 * @param indexIntervalBytes   bytes of batches between two sparse index entries
 *                             [index.interval.bytes]
 */
public record LogConfig(int segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
        int maxMessageBytes, boolean logAppendTime, FlushPolicy flushPolicy, long flushIntervalMs,
        int indexIntervalBytes) {

    /** Kafka's defaults, and page-cache durability (the replicas provide it). */
    public static final LogConfig DEFAULT = new LogConfig(1 << 30, 7L * 24 * 3600 * 1000,
            7L * 24 * 3600 * 1000, -1, 1024 * 1024 + 12, false, FlushPolicy.PAGE_CACHE, 1000, 4096);

    public LogConfig {
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segment.bytes must be at least 1024: " + segmentBytes);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("max.message.bytes must be positive: " + maxMessageBytes);
        }
        if (flushPolicy == null) {
            throw new IllegalArgumentException("flush.policy must be set");
        }
    }

    /** When appended batches reach stable storage, beyond the page cache. */
    public enum FlushPolicy {
        /** Never forced by the log: a process crash loses nothing, an OS crash may lose the tail. */
        PAGE_CACHE,
        /** Forced every {@code flush.ms}: an OS crash loses at most that much. */
        INTERVAL,
        /** Forced before each append returns: an acknowledged batch survives an OS crash. */
        EVERY_BATCH
    }
}
