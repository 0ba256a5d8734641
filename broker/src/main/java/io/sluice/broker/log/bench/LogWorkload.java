package io.sluice.broker.log.bench;

import io.sluice.broker.log.ChronicleLog;
import io.sluice.broker.log.LogConfig;
import io.sluice.broker.log.LogManager;
import io.sluice.broker.log.LogReadResult;
import io.sluice.broker.log.StorageConfig;
import io.sluice.broker.log.TopicIdPartition;
import io.sluice.common.Clock;
import io.sluice.record.CompressionType;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Appends to and reads from real {@link ChronicleLog}s, owned by a {@link LogManager} over a data
 * directory with default settings (1 GiB segments, 1 GiB free-space reserve), the way a broker does.
 * Batches are valid v2 batches of 1 KiB records built by {@link RecordBatchBuilder}, passed as
 * read-only buffers as the produce handler passes them, and appended with {@code appendAsLeader}
 * (validation, CRC32C, copy, stamping: the whole leader path). Reads go through {@code read}, the
 * fetch path.
 *
 * <p>Not thread-safe: one measurement at a time.
 */
final class LogWorkload implements AutoCloseable {
    /** Value bytes that make a record of an 8-byte key about 1 KiB once encoded (18 bytes of framing). */
    static final int VALUE_BYTES = 1024 - 18;
    private static final int DISTINCT_BATCHES = 32;

    private final LogManager logs;
    private final Clock clock;
    private int created;

    LogWorkload(Path dataDir, Clock clock) {
        this.clock = clock;
        this.logs = LogManager.open(StorageConfig.defaults(dataDir), clock, partition -> -1);
    }

    /** {@value #DISTINCT_BATCHES} different batches of {@code kib} records each, as read-only buffers. */
    static List<ByteBuffer> batches(int kib, long timestampMs, long seed) {
        Random random = new Random(seed);
        List<ByteBuffer> out = new ArrayList<>();
        for (int b = 0; b < DISTINCT_BATCHES; b++) {
            RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE);
            for (int r = 0; r < kib; r++) {
                byte[] value = new byte[VALUE_BYTES];
                random.nextBytes(value);
                builder.append(timestampMs + r, String.format("k%07d", r).getBytes(StandardCharsets.US_ASCII), value);
            }
            out.add(builder.build().asReadOnlyBuffer());
        }
        return out;
    }

    /** A new, empty log with {@code policy}; {@link #discard} it when done. */
    ChronicleLog newLog(LogConfig.FlushPolicy policy) {
        LogConfig d = LogConfig.DEFAULT;
        LogConfig config = new LogConfig(d.segmentBytes(), d.segmentMs(), d.retentionMs(), d.retentionBytes(),
                d.maxMessageBytes(), false, policy, d.flushIntervalMs(), d.indexIntervalBytes());
        return logs.getOrCreateLog(new TopicIdPartition(new UUID(0x5b, ++created), 0), config);
    }

    /** Appends batches in turn, as leader, until at least {@code targetBytes} were appended. */
    Measurement append(ChronicleLog log, List<ByteBuffer> batches, long targetBytes) {
        long bytes = 0;
        long count = 0;
        long start = clock.monotonicNs();
        while (bytes < targetBytes) {
            ByteBuffer batch = batches.get((int) (count % batches.size()));
            log.appendAsLeader(batch, 0, clock.wallMs());
            bytes += batch.remaining();
            count++;
        }
        return new Measurement(bytes, Math.max(1, clock.monotonicNs() - start), count);
    }

    /**
     * Reads the whole log from its start with reads of {@code fetchBytes}, as a consumer that keeps up
     * would: each read starts after the last batch the previous one returned.
     *
     * @throws IllegalStateException if the reads did not return exactly the log's bytes, in order
     */
    Measurement readAll(ChronicleLog log, int fetchBytes) {
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        long bytes = 0;
        long reads = 0;
        long start = clock.monotonicNs();
        while (offset < end) {
            LogReadResult result = log.read(offset, fetchBytes, end, true);
            long next = nextOffset(result.records(), offset);
            bytes += result.sizeInBytes();
            reads++;
            offset = next;
        }
        long nanos = Math.max(1, clock.monotonicNs() - start);
        if (bytes != log.sizeInBytes()) {
            throw new IllegalStateException("read " + bytes + " bytes of a log of " + log.sizeInBytes());
        }
        return new Measurement(bytes, nanos, reads);
    }

    /** Walks the batch headers of a read; the offset after its last batch. Checks offsets are contiguous. */
    private static long nextOffset(ByteBuffer records, long expected) {
        ByteBuffer in = records.duplicate().order(ByteOrder.BIG_ENDIAN);
        int position = in.position();
        long next = expected;
        while (position < in.limit()) {
            long base = in.getLong(position + RecordBatch.BASE_OFFSET_OFFSET);
            if (base != next) {
                throw new IllegalStateException("expected a batch at offset " + next + ", read one at " + base);
            }
            next = base + in.getInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET) + 1;
            position += RecordBatch.LOG_OVERHEAD + in.getInt(position + RecordBatch.LENGTH_OFFSET);
        }
        if (next == expected) {
            throw new IllegalStateException("a read at offset " + expected + " returned no batch");
        }
        return next;
    }

    /**
     * Deletes a log's segments (their dirty pages are dropped, not written back) and then the log, so
     * that one measurement leaves no disk work behind for the next.
     */
    void discard(ChronicleLog log) {
        log.truncateFullyAndStartAt(log.logEndOffset());
        logs.deleteLog(TopicIdPartition.fromDirName(log.dir().getFileName().toString()).orElseThrow());
    }

    @Override
    public void close() {
        logs.close();
    }
}
