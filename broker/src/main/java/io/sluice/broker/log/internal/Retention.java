package io.sluice.broker.log.internal;

import io.sluice.broker.log.LogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/**
 * Decides which segments retention deletes: a prefix of the sealed segments (never the active one),
 * each lying entirely below the high watermark (a replica never deletes what consumers may still be
 * owed), whose newest record is older than {@code retention.ms} or whose removal still leaves the log
 * at least {@code retention.bytes} large. A segment without timestamps is aged by its file's
 * modification time, as Kafka does. Stateless.
 */
public final class Retention {
    private Retention() {
    }

    /** How many of the oldest segments to delete now. */
    public static int deletableSegments(SegmentList segments, long nowMs, long highWatermark, LogConfig config)
            throws IOException {
        long total = segments.sizeInBytes();
        int count = 0;
        for (int i = 0; i < segments.size() - 1; i++) {
            LogSegment segment = segments.get(i);
            if (segment.nextOffset() > highWatermark) {
                break;
            }
            boolean expired = config.retentionMs() >= 0 && nowMs - newestTimestamp(segment) > config.retentionMs();
            boolean overSize = config.retentionBytes() >= 0 && total - segment.size() >= config.retentionBytes();
            if (!expired && !overSize) {
                break;
            }
            total -= segment.size();
            count++;
        }
        return count;
    }

    private static long newestTimestamp(LogSegment segment) throws IOException {
        if (segment.maxTimestamp() >= 0) {
            return segment.maxTimestamp();
        }
        try {
            return Files.getLastModifiedTime(segment.logFile()).toMillis();
        } catch (NoSuchFileException e) {
            return Long.MAX_VALUE;
        }
    }
}
